//! Escaping for the two text formats that can carry markup: HTML and Markdown. Every value that
//! comes from AWS (names, tags, messages) goes through here before it reaches a page or a
//! pull-request comment.

/// Text safe inside HTML element content and attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text safe in a Markdown table cell: no column break (`|`), no line break, and no raw HTML
/// (GitHub renders HTML inside Markdown, so `<`, `>` and `&` become entities).
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_neutralised() {
        assert_eq!(
            html("<script>alert('x&y')</script>"),
            "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(html("\"q\""), "&quot;q&quot;");
        assert_eq!(
            markdown_cell("a|b\n<img src=x onerror=y>"),
            "a\\|b &lt;img src=x onerror=y&gt;"
        );
        assert_eq!(
            markdown_cell("plain text_with_underscores"),
            "plain text_with_underscores"
        );
    }
}
