/**
 * Machine-readable zones (ICAO 9303 TD1 3×30, TD2 2×36, TD3 2×44) in OCR text, by stage:
 * `locate` finds candidate lines, `read` aligns them to a layout and chooses a reading, `repair`
 * changes characters, `parse` reads fields, `corroborate` settles values with an independent source.
 */
export { MRZ_LAYOUTS, isMrzState, mrzCheckDigit } from './layouts.js';
export type { MrzCheckName, MrzFields, MrzFormat, MrzReading, MrzReadOptions, MrzRepair } from './layouts.js';
export { cleanMrzLine, locateMrz } from './locate.js';
export type { MrzBlock } from './locate.js';
export { combineMrzReadings, detectMrz, readMrz, repairMrz } from './read.js';
export { mrzFields, mrzNameField } from './parse.js';
export { corroborateMrz, unverifiedFields } from './corroborate.js';
export type { IndependentMrzSource, VisualZoneValues } from './corroborate.js';
export { isVisaFormat } from './layouts.js';
