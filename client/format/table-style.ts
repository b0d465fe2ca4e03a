/** Box characters for terminal tables: a frame and a header rule, no rule between rows. */
export const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
