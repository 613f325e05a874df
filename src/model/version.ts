// The software version a court bundle names: kept equal to package.json's by a test.
export const LODE_VERSION = '0.1.0';
