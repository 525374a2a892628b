//! Display width of text, as rustfmt measures it (`unicode_str_width`, from the
//! `unicode-width` crate), for the characters a generated literal can hold.
//!
//! The engine only sees `{:?}`-escaped string literals, and `{:?}` escapes control and
//! format characters, combining marks and unassigned code points as `\u{..}`. For every other
//! character from U+00A0 to U+3FFFF the width below was measured against rustfmt 1.9.0
//! (`difftest::character_widths_match_rustfmt` re-checks them); it differs from the
//! current Unicode data where rustfmt's copy of `unicode-width` does (newer characters count
//! one column, some Hangul fillers and jamo count none).

use std::cmp::Ordering;

/// Ranges (inclusive) of characters not one column wide, with their width; the gaps between
/// ranges only hold characters that `{:?}` escapes.
const NOT_ONE: &[(u32, u32, u8)] = &[
    (0xD4E, 0xD4E, 0),
    (0x1100, 0x115F, 2),
    (0x1160, 0x11FF, 0),
    (0x17A4, 0x17A4, 2),
    (0x17D8, 0x17D8, 0),
    (0x231A, 0x231B, 2),
    (0x2329, 0x232A, 2),
    (0x23E9, 0x23EC, 2),
    (0x23F0, 0x23F0, 2),
    (0x23F3, 0x23F3, 2),
    (0x25FD, 0x25FE, 2),
    (0x2614, 0x2615, 2),
    (0x2648, 0x2653, 2),
    (0x267F, 0x267F, 2),
    (0x2693, 0x2693, 2),
    (0x26A1, 0x26A1, 2),
    (0x26AA, 0x26AB, 2),
    (0x26BD, 0x26BE, 2),
    (0x26C4, 0x26C5, 2),
    (0x26CE, 0x26CE, 2),
    (0x26D4, 0x26D4, 2),
    (0x26EA, 0x26EA, 2),
    (0x26F2, 0x26F3, 2),
    (0x26F5, 0x26F5, 2),
    (0x26FA, 0x26FA, 2),
    (0x26FD, 0x26FD, 2),
    (0x2705, 0x2705, 2),
    (0x270A, 0x270B, 2),
    (0x2728, 0x2728, 2),
    (0x274C, 0x274C, 2),
    (0x274E, 0x274E, 2),
    (0x2753, 0x2755, 2),
    (0x2757, 0x2757, 2),
    (0x2795, 0x2797, 2),
    (0x27B0, 0x27B0, 2),
    (0x27BF, 0x27BF, 2),
    (0x2B1B, 0x2B1C, 2),
    (0x2B50, 0x2B50, 2),
    (0x2B55, 0x2B55, 2),
    (0x2E80, 0x303E, 2),
    (0x3041, 0x3163, 2),
    (0x3164, 0x3164, 0),
    (0x3165, 0x31E3, 2),
    (0x31EF, 0x3247, 2),
    (0x3250, 0x4DBF, 2),
    (0x4E00, 0xA4C6, 2),
    (0xA8FA, 0xA8FA, 0),
    (0xA960, 0xA97C, 2),
    (0xAC00, 0xD7A3, 2),
    (0xD7B0, 0xD7FB, 0),
    (0xF900, 0xFAD9, 2),
    (0xFE10, 0xFE6B, 2),
    (0xFF01, 0xFF60, 2),
    (0xFFA0, 0xFFA0, 0),
    (0xFFE0, 0xFFE6, 2),
    (0x111C2, 0x111C3, 0),
    (0x1171E, 0x1171E, 0),
    (0x1193F, 0x1193F, 0),
    (0x11941, 0x11941, 0),
    (0x11A3A, 0x11A3A, 0),
    (0x11A84, 0x11A89, 0),
    (0x11D46, 0x11D46, 0),
    (0x11F02, 0x11F02, 0),
    (0x16FE0, 0x16FE3, 2),
    (0x17000, 0x187F7, 2),
    (0x18800, 0x18CD5, 2),
    (0x18D00, 0x18D08, 2),
    (0x1AFF0, 0x1B2FB, 2),
    (0x1F004, 0x1F004, 2),
    (0x1F0CF, 0x1F0CF, 2),
    (0x1F18E, 0x1F18E, 2),
    (0x1F191, 0x1F19A, 2),
    (0x1F200, 0x1F320, 2),
    (0x1F32D, 0x1F335, 2),
    (0x1F337, 0x1F37C, 2),
    (0x1F37E, 0x1F393, 2),
    (0x1F3A0, 0x1F3CA, 2),
    (0x1F3CF, 0x1F3D3, 2),
    (0x1F3E0, 0x1F3F0, 2),
    (0x1F3F4, 0x1F3F4, 2),
    (0x1F3F8, 0x1F43E, 2),
    (0x1F440, 0x1F440, 2),
    (0x1F442, 0x1F4FC, 2),
    (0x1F4FF, 0x1F53D, 2),
    (0x1F54B, 0x1F54E, 2),
    (0x1F550, 0x1F567, 2),
    (0x1F57A, 0x1F57A, 2),
    (0x1F595, 0x1F596, 2),
    (0x1F5A4, 0x1F5A4, 2),
    (0x1F5FB, 0x1F64F, 2),
    (0x1F680, 0x1F6C5, 2),
    (0x1F6CC, 0x1F6CC, 2),
    (0x1F6D0, 0x1F6D2, 2),
    (0x1F6D5, 0x1F6D7, 2),
    (0x1F6DC, 0x1F6DF, 2),
    (0x1F6EB, 0x1F6EC, 2),
    (0x1F6F4, 0x1F6FC, 2),
    (0x1F7E0, 0x1F7F0, 2),
    (0x1F90C, 0x1F93A, 2),
    (0x1F93C, 0x1F945, 2),
    (0x1F947, 0x1F9FF, 2),
    (0x1FA70, 0x1FA88, 2),
    (0x1FA90, 0x1FABD, 2),
    (0x1FABF, 0x1FAC5, 2),
    (0x1FACE, 0x1FADB, 2),
    (0x1FAE0, 0x1FAE8, 2),
    (0x1FAF0, 0x1FAF8, 2),
    (0x20000, 0x33479, 2),
];

/// The number of columns `s` takes.
pub(super) fn str_width(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars().map(char_width).sum()
}

/// The number of columns `c` takes.
fn char_width(c: char) -> usize {
    let code = u32::from(c);
    let range = NOT_ONE.binary_search_by(|&(lo, hi, _)| {
        if hi < code {
            Ordering::Less
        } else if lo > code {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    });
    range.map_or(1, |i| usize::from(NOT_ONE[i].2))
}

/// The ends of every range of the table and their neighbours: the characters whose width
/// is the most likely to change with rustfmt's Unicode data.
#[cfg(test)]
pub(super) fn boundaries() -> impl Iterator<Item = char> {
    NOT_ONE
        .iter()
        .flat_map(|&(lo, hi, _)| [lo.saturating_sub(1), lo, hi, hi + 1])
        .filter_map(char::from_u32)
}
