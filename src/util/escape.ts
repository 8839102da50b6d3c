/**
 * Strings that came from a file are shown, never obeyed: control characters (C0 and C1, DEL)
 * and the bidirectional overrides become visible escapes (`\x1b`, `\u202e`), as `git` and `less`
 * show them, so that a trace cannot set the clipboard (OSC 52), retitle the window (OSC 0),
 * clear the screen or reorder what is printed.
 */

const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string): string => {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** `s` with every control character as a visible escape (newlines too, unless `keepNewlines`: text kmc itself laid out). */
export const escapeControls = (s: string, keepNewlines = false): string => s.replace(keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, visible);

/** JSON text with the characters `JSON.stringify` leaves raw (DEL, C1, bidi controls) as `\u` escapes: the same JSON value, safe on a terminal. */
export const safeJson = (json: string): string => json.replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
