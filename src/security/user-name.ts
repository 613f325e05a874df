// What a user name may be, for `lode user add` and POST /api/v1/users alike.

// names appear in the audit log and in URLs: no spaces, no look-alike punctuation
export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export const USER_NAME_RULE = 'letters, digits and . _ @ - (at most 64, starting with a letter or digit)';
