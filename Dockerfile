# The engine's image: API and workers (the same image, different commands).
# Stage 1 builds the reviewers' web page (esbuild is a development dependency).
FROM node:20-bookworm-slim AS web
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY web ./web
COPY scripts/build-web.ts ./scripts/
COPY src ./src
RUN npx tsx scripts/build-web.ts

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr-eng fonts-dejavu-core fonts-liberation ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY bin ./bin
COPY config ./config
COPY tsconfig.json ./
COPY --from=web /build/dist/web ./dist/web
# MALLOC_ARENA_MAX=2: glibc's arena per thread let native memory grow all batch long (README, Speed).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    KYC_DATA_DIR=/data \
    OCR_LANG_PATH=/usr/share/tesseract-ocr/5/tessdata
USER node
CMD ["node", "--import", "tsx", "src/cli/main.ts", "serve"]
