//! Language detection good enough to pick a prompt and label a document: Bedside only needs to
//! tell Chinese from English.

/// The share of CJK ideographs among letters above which a text counts as Chinese. Chinese
/// guidelines are full of Latin abbreviations (CT, HIV, mmHg), so the bar is low.
const CJK_SHARE: f64 = 0.2;

/// True for a CJK unified ideograph (the basic block and extension A).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// `"zh"` when the text is mostly Chinese, else `"en"`.
pub fn detect(text: &str) -> &'static str {
    let (mut cjk, mut letters) = (0usize, 0usize);
    for c in text.chars().take(20_000) {
        if is_cjk(c) {
            cjk += 1;
            letters += 1;
        } else if c.is_alphabetic() {
            letters += 1;
        }
    }
    if letters > 0 && (cjk as f64 / letters as f64) >= CJK_SHARE {
        "zh"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_with_latin_abbreviations_is_chinese() {
        assert_eq!(
            detect("高血压患者应定期测量血压（BP），必要时做CT检查。"),
            "zh"
        );
    }

    #[test]
    fn english_is_english() {
        assert_eq!(detect("High blood pressure is a common condition."), "en");
        assert_eq!(detect(""), "en");
    }
}
