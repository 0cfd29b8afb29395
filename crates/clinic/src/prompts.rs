//! Prompt templates, embedded from `assets/prompts` at build time.

/// Recorded with every answer; bump it whenever a template changes.
pub const PROMPT_VERSION: &str = "ask-v3";

/// Recorded with every triage suggestion; bump it whenever a triage template changes.
pub const TRIAGE_PROMPT_VERSION: &str = "triage-v1";

/// The language a prompt is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Chinese when the text has any Chinese characters: a clinician who writes Chinese
    /// expects a Chinese answer even if the question quotes an English term.
    pub fn of_question(text: &str) -> Lang {
        if text.chars().any(library::lang::is_cjk) {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// The system message of the grounded ask.
pub fn ask_system(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../../assets/prompts/ask.en.system.txt"),
        Lang::Zh => include_str!("../../../assets/prompts/ask.zh.system.txt"),
    }
    .trim()
}

/// The user message of the grounded ask, with the numbered passages and the question.
/// The user message of the grounded ask, with the numbered passages and the question.
pub fn ask_user(lang: Lang, passages: &str, question: &str) -> String {
    let template = match lang {
        Lang::En => include_str!("../../../assets/prompts/ask.en.user.txt"),
        Lang::Zh => include_str!("../../../assets/prompts/ask.zh.user.txt"),
    };
    fill(
        template.trim(),
        &[("passages", passages), ("question", question)],
    )
}

/// The ask's system message with the summary of a conversation's earlier turns.
pub fn ask_system_with_summary(lang: Lang, summary: &str) -> String {
    let template = match lang {
        Lang::En => include_str!("../../../assets/prompts/earlier.en.txt"),
        Lang::Zh => include_str!("../../../assets/prompts/earlier.zh.txt"),
    };
    format!(
        "{}\n\n{}",
        ask_system(lang),
        fill(template.trim(), &[("summary", summary.trim())])
    )
}

/// The request to condense a conversation's turns (rendered as "Clinician: … / Assistant: …").
pub fn summarise(lang: Lang, turns: &str) -> String {
    let template = match lang {
        Lang::En => include_str!("../../../assets/prompts/summarise.en.txt"),
        Lang::Zh => include_str!("../../../assets/prompts/summarise.zh.txt"),
    };
    fill(template.trim(), &[("turns", turns)])
}

/// Replaces `{{name}}` placeholders in one pass, so text inserted for one placeholder is never
/// searched for another (a passage that happens to contain "{{question}}" stays as it is).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}").and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The system message of triage assistance.
pub fn triage_system(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../../assets/prompts/triage.en.system.txt"),
        Lang::Zh => include_str!("../../../assets/prompts/triage.zh.system.txt"),
    }
    .trim()
}

/// The user message of triage assistance.
pub fn triage_user(intake: &str, news2: &str, esi: &str, cn: &str) -> String {
    fill(
        include_str!("../../../assets/prompts/triage.user.txt").trim(),
        &[
            ("intake", intake),
            ("news2", news2),
            ("esi", esi),
            ("cn", cn),
        ],
    )
}

/// The shape every grounded answer takes: one to five claims, each a text of its own (at
/// least six characters, not starting with a bracket, a list or heading marker) followed by the
/// numbers of passages given; or a decline, which is the "not covered" sentence exactly, so
/// that no advice can follow it uncited. Instructions alone did not hold a small model: Qwen2.5 0.5B
/// answered "[1]" or "[1] [2]", or copied a passage's heading, for most questions
/// (docs/benchmarks.md). Tokens that would break the shape are never sampled, locally or by a
/// llama.cpp server. Written without `{m,n}` repetition, which older servers do not parse.
pub fn answer_grammar(lang: Lang, passages: usize) -> llm::Grammar {
    let n = passages.clamp(1, 9);
    let decline = gbnf_literal(not_covered(lang));
    llm::Grammar::gbnf(format!(
        r#"root ::= decline | claims
decline ::= "{decline}"
claims ::= claim (sep claim (sep claim (sep claim (sep claim)?)?)?)?
sep ::= " " | "\n"
claim ::= lead text text text text text text* cite end?
lead ::= [^\[\]【】\n\t #*>|-]
text ::= [^\[\]【】\n]
cite ::= " "? "[" num ("," " "? num)* "]"
num ::= [1-{n}]
end ::= [.。]
"#
    ))
}

/// How a decline begins, whoever writes it: Bedside when retrieval finds nothing, or the model
/// when the passages it was given do not answer.
pub fn decline_start(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The imported guidelines do not cover",
        Lang::Zh => "已导入的指南未涵盖",
    }
}

/// Whether an answer is a decline (the model's or Bedside's), not an answer.
pub fn is_decline(answer: &str, lang: Lang) -> bool {
    answer.trim_start().starts_with(decline_start(lang)) && !cites(answer)
}

/// Whether `answer` holds a citation marker (`[n]`, `[n, m]`): a sentence that begins like a
/// decline but cites a passage is a claim, not a decline.
fn cites(answer: &str) -> bool {
    answer.split('[').skip(1).any(|rest| {
        rest.split(']').next().is_some_and(|inside| {
            !inside.trim().is_empty()
                && inside
                    .split(',')
                    .all(|n| !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit()))
        })
    })
}

/// `text` as a GBNF string literal's contents.
fn gbnf_literal(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The answer given without asking the model when no passage matches the question.
pub fn not_covered(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The imported guidelines do not cover this question.",
        Lang::Zh => "已导入的指南未涵盖该问题。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decline_is_known_by_its_opening_words_whoever_wrote_it() {
        assert!(is_decline(not_covered(Lang::En), Lang::En));
        assert!(is_decline(" 已导入的指南未涵盖这个问题。", Lang::Zh));
        assert!(!is_decline(
            "The incubation period is 1 to 14 days [1].",
            Lang::En
        ));
        // Opening like a decline but citing a passage: a claim.
        assert!(!is_decline(
            "The imported guidelines do not cover pregnancy, but give 4 g magnesium [1].",
            Lang::En
        ));
        assert!(!is_decline(
            "已导入的指南未涵盖妊娠，但应静推硫酸镁 [1, 2]。",
            Lang::Zh
        ));
        let g = answer_grammar(Lang::En, 3);
        // The decline is the whole sentence: nothing can follow it without a citation.
        assert!(g
            .as_gbnf()
            .contains("decline ::= \"The imported guidelines do not cover this question.\"\n"));
        assert!(
            g.as_gbnf().contains("num ::= [1-3]"),
            "only passages given can be cited"
        );
    }

    #[test]
    fn question_language_follows_chinese_characters() {
        assert_eq!(Lang::of_question("高血压的诊断标准是什么？"), Lang::Zh);
        assert_eq!(Lang::of_question("What is the BP target?"), Lang::En);
    }

    #[test]
    fn placeholders_are_filled_and_question_text_is_literal() {
        let u = ask_user(Lang::En, "[1] says {{question}}", "why {{passages}}?");
        assert!(u.contains("[1] says {{question}}"));
        assert!(u.contains("why {{passages}}?"));
        assert!(!u.contains("{{passages}}\n"));
        assert!(!ask_system(Lang::Zh).is_empty());
    }
}
