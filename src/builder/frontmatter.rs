//! Splitting a post into YAML front matter and body, and reading the fields that
//! news mirrors actually write, in all the shapes they write them.

use serde::Deserialize;
use serde_yaml::Value;

use super::diagnostics::{Skip, Warning};

/// The raw fields; everything else in the YAML is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawFrontMatter {
    layout: Option<Value>,
    title: Option<Value>,
    date: Option<Value>,
    author: Option<Value>,
    from: Option<Value>,
    tags: Option<Value>,
    categories: Option<Value>,
    description: Option<Value>,
}

/// Front matter with every field reduced to plain strings.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// `layout`.
    pub layout: Option<String>,
    /// `title`, trimmed.
    pub title: Option<String>,
    /// `date`, as written.
    pub date: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `from`: the original article's URL.
    pub from: Option<String>,
    /// `tags`, without duplicates.
    pub tags: Vec<String>,
    /// `categories`, without duplicates.
    pub categories: Vec<String>,
    /// `description` (index cards carry their text there).
    pub description: Option<String>,
}

/// A post split at its front matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// 1-based line of the body's first line, for diagnostics.
    pub body_line: usize,
}

/// Splits `text` (already without BOM and with `\n` line ends) at its `---` fences.
/// A missing closing fence is tolerated: the front matter then ends at the first
/// blank line, as it would in a hand-edited file, and a warning says so.
pub fn split<'a>(text: &'a str, warnings: &mut Vec<Warning>) -> Result<Split<'a>, Skip> {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return Err(Skip::NoFrontMatter);
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split { yaml: &rest[..offset], body: &rest[offset + line.len()..], body_line: index + 3 });
        }
        offset += line.len();
    }
    warnings.push(Warning::UnclosedFrontMatter);
    let end = rest.find("\n\n").map_or(rest.len(), |i| i + 1);
    let body_start = (end + 1).min(rest.len());
    Ok(Split { yaml: &rest[..end], body: &rest[body_start..], body_line: rest[..end].lines().count() + 3 })
}

/// Parses the YAML between the fences. `first_line` is the file line of the YAML's first line.
pub fn parse(yaml: &str, first_line: usize) -> Result<FrontMatter, Skip> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    // Blank lines in front of the YAML shift the parser's own line numbers, in its
    // location and in its message, onto the file's.
    let shifted = format!("{}{yaml}", "\n".repeat(first_line - 1));
    let raw: RawFrontMatter = serde_yaml::from_str(&shifted)
        .map_err(|error| Skip::Yaml { line: error.location().map(|l| l.line()), message: error.to_string() })?;
    Ok(FrontMatter {
        layout: raw.layout.as_ref().and_then(scalar),
        title: raw.title.as_ref().and_then(scalar),
        date: raw.date.as_ref().and_then(scalar),
        author: raw.author.as_ref().and_then(scalar),
        from: raw.from.as_ref().and_then(scalar),
        tags: raw.tags.as_ref().map(list).unwrap_or_default(),
        categories: raw.categories.as_ref().map(list).unwrap_or_default(),
        description: raw.description.as_ref().and_then(scalar),
    })
}

/// A scalar as trimmed text; `title: 2020` and `title: yes` are titles too.
fn scalar(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Tagged(tagged) => return scalar(&tagged.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// `[a, b]`, a block list, `a`, or Jekyll's space-separated `a b c`.
fn list(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = match value {
        Value::Sequence(seq) => seq.iter().filter_map(scalar).collect(),
        other => scalar(other).map(|s| s.split_whitespace().map(str::to_string).collect()).unwrap_or_default(),
    };
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(yaml: &str) -> FrontMatter {
        parse(yaml, 2).unwrap()
    }

    #[test]
    fn reads_titles_in_every_quoting() {
        let cases = [
            ("title: \"路透：美俄軍事熱線\"", "路透：美俄軍事熱線"),
            ("title: 足總部分賽事閉門作賽　加強衛生防疫措施", "足總部分賽事閉門作賽　加強衛生防疫措施"),
            ("title: 'It''s quoted'", "It's quoted"),
            ("title: 2020", "2020"),
            ("title: \"  padded  \"", "padded"),
        ];
        for (yaml, expected) in cases {
            assert_eq!(front(yaml).title.as_deref(), Some(expected), "{yaml}");
        }
    }

    #[test]
    fn reads_lists_in_every_shape() {
        let cases: [(&str, &[&str]); 6] = [
            ("tags: [ (臺)中央社CNA ]", &["(臺)中央社CNA"]),
            ("tags: [a, b, a]", &["a", "b"]),
            ("tags:\n  - economy\n  - ports", &["economy", "ports"]),
            ("tags: economy ports shipping", &["economy", "ports", "shipping"]),
            ("tags: rss", &["rss"]),
            ("tags:", &[]),
        ];
        for (yaml, expected) in cases {
            assert_eq!(front(yaml).tags, expected, "{yaml}");
        }
    }

    #[test]
    fn keeps_dates_as_text_and_ignores_unknown_keys() {
        let fm = front("date: 2020-03-09 17:04:30.000000000 +08:00\npermalink: /x/\nimg: a.png\ncomments: True");
        assert_eq!(fm.date.as_deref(), Some("2020-03-09 17:04:30.000000000 +08:00"));
    }

    #[test]
    fn splits_at_the_closing_fence() {
        let mut warnings = vec![];
        let split = split("---\ntitle: a\n---\nbody\n", &mut warnings).unwrap();
        assert_eq!((split.yaml, split.body, split.body_line), ("title: a\n", "body\n", 4));
        assert!(warnings.is_empty());
    }

    #[test]
    fn tolerates_a_missing_closing_fence() {
        let mut warnings = vec![];
        let split = split("---\ntitle: a\ndate: 2021-01-01\n\nThe body.\n", &mut warnings).unwrap();
        assert_eq!(split.yaml, "title: a\ndate: 2021-01-01\n");
        assert_eq!(split.body, "The body.\n");
        assert_eq!(warnings, [Warning::UnclosedFrontMatter]);
    }

    #[test]
    fn files_without_front_matter_are_not_posts() {
        assert_eq!(split("# Just markdown\n", &mut vec![]), Err(Skip::NoFrontMatter));
    }

    #[test]
    fn yaml_errors_carry_the_file_line() {
        match parse("title: a\ntags: [unclosed\n", 2) {
            Err(Skip::Yaml { line: Some(line), .. }) => assert!((3..=4).contains(&line), "line {line}"),
            other => panic!("{other:?}"),
        }
    }
}
