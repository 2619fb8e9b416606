//! Questions in Markdown: list items (numbered or bulleted) are questions, headings are
//! categories, nested items are follow-ups of the item above. Read through pulldown-cmark,
//! so emphasis, links and entities arrive as plain text and code blocks, tables, HTML and
//! front matter arrive as blocks to leave out.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Draft, Item, Skip, category_name, looks_like_question};

/// Text of one paragraph or list item, and what it was made of.
#[derive(Debug, Default)]
struct Buf {
    text: String,
    links: usize,
    images: usize,
    /// Some letter or digit outside links: the item says something of its own.
    own_words: bool,
}

impl Buf {
    fn is_link_only(&self) -> bool {
        self.links > 0 && !self.own_words
    }

    fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A top-level list item on its way to becoming a question.
#[derive(Debug, Default)]
struct Candidate {
    paragraphs: Vec<Buf>,
    follow_ups: Vec<Buf>,
    category: Option<String>,
}

/// Blocks whose content is never a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hidden {
    Code,
    Table,
    Html,
    FrontMatter,
    Footnote,
}

#[derive(Default)]
struct Walker {
    draft: Draft,
    category: Option<String>,
    heading: Option<(HeadingLevel, Buf)>,
    /// How many lists we are inside.
    depth: usize,
    /// Items of the top-level list being read.
    list: Vec<Candidate>,
    item: Option<Candidate>,
    /// Indexes into `item.follow_ups` of the nested items being read, innermost last.
    nested: Vec<usize>,
    /// A paragraph outside any list.
    paragraph: Option<Buf>,
    hidden: Vec<Hidden>,
    /// The text of the hidden block being read (front matter, HTML).
    hidden_text: String,
    links: usize,
    images: usize,
}

pub fn draft(text: &str) -> Draft {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut walker = Walker::default();
    for event in Parser::new_ext(text, options) {
        walker.event(event);
    }
    walker.draft
}

impl Walker {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => self.text(&text, true),
            Event::Html(html) | Event::InlineHtml(html) if !self.hidden.is_empty() => {
                self.hidden_text.push_str(&html);
            }
            Event::SoftBreak | Event::HardBreak => self.text(" ", false),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        if !self.hidden.is_empty() {
            return;
        }
        let hide = |walker: &mut Walker, what: Hidden| {
            walker.hidden.push(what);
            walker.hidden_text.clear();
        };
        match tag {
            Tag::CodeBlock(_) => hide(self, Hidden::Code),
            Tag::Table(_) => hide(self, Hidden::Table),
            Tag::HtmlBlock => hide(self, Hidden::Html),
            Tag::MetadataBlock(_) => hide(self, Hidden::FrontMatter),
            Tag::FootnoteDefinition(_) => hide(self, Hidden::Footnote),
            Tag::Heading { level, .. } => self.heading = Some((level, Buf::default())),
            Tag::List(_) => {
                self.depth += 1;
                if self.depth == 1 {
                    self.list.clear();
                }
            }
            Tag::Item if self.depth == 1 => {
                self.item = Some(Candidate {
                    category: self.category.clone(),
                    ..Candidate::default()
                });
            }
            Tag::Item => {
                if let Some(item) = &mut self.item {
                    item.follow_ups.push(Buf::default());
                    self.nested.push(item.follow_ups.len() - 1);
                }
            }
            Tag::Paragraph => match &mut self.item {
                Some(item) if self.nested.is_empty() => item.paragraphs.push(Buf::default()),
                Some(_) => self.text(" ", false),
                None => self.paragraph = Some(Buf::default()),
            },
            Tag::Link { .. } => {
                self.links += 1;
                if let Some(buf) = self.buf() {
                    buf.links += 1;
                }
            }
            Tag::Image { .. } => {
                self.images += 1;
                self.draft.skipped.push(Skip::Image);
                if let Some(buf) = self.buf() {
                    buf.images += 1;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if let Some(&hidden) = self.hidden.last() {
            let closes = matches!(
                (hidden, tag),
                (Hidden::Code, TagEnd::CodeBlock)
                    | (Hidden::Table, TagEnd::Table)
                    | (Hidden::Html, TagEnd::HtmlBlock)
                    | (Hidden::FrontMatter, TagEnd::MetadataBlock(_))
                    | (Hidden::Footnote, TagEnd::FootnoteDefinition)
            );
            if closes {
                self.hidden.pop();
                self.close_hidden(hidden);
            }
            return;
        }
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, buf)) = self.heading.take() {
                    let name = category_name(&buf.text);
                    if level == HeadingLevel::H1 && self.draft.title.is_none() && !name.is_empty() {
                        self.draft.title = Some(name.clone());
                    }
                    self.category = (!name.is_empty()).then_some(name);
                }
            }
            TagEnd::Item if !self.nested.is_empty() => {
                self.nested.pop();
            }
            TagEnd::Item if self.depth == 1 => {
                if let Some(item) = self.item.take() {
                    self.list.push(item);
                }
            }
            TagEnd::List(_) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    let list = std::mem::take(&mut self.list);
                    self.take_list(list);
                }
            }
            TagEnd::Paragraph if self.item.is_none() => {
                if let Some(paragraph) = self.paragraph.take() {
                    let text = paragraph.text.trim();
                    let mdx = (text.starts_with("import ") || text.starts_with("export "))
                        && (text.contains(" from ") || text.ends_with(';'));
                    if mdx {
                        self.draft.skipped.push(Skip::MdxLine);
                    }
                }
            }
            TagEnd::Link => self.links = self.links.saturating_sub(1),
            TagEnd::Image => self.images = self.images.saturating_sub(1),
            _ => {}
        }
    }

    fn close_hidden(&mut self, hidden: Hidden) {
        let skip = match hidden {
            Hidden::Code => Skip::CodeBlock,
            Hidden::Table => Skip::Table,
            Hidden::Footnote => return,
            Hidden::FrontMatter => {
                if self.draft.title.is_none() {
                    self.draft.title = front_matter_title(&self.hidden_text);
                }
                Skip::FrontMatter
            }
            Hidden::Html => {
                let html = self.hidden_text.trim_start();
                let jsx = html.starts_with('<')
                    && html[1..].starts_with(|c: char| c.is_ascii_uppercase());
                if jsx { Skip::JsxTag } else { Skip::HtmlBlock }
            }
        };
        self.draft.skipped.push(skip);
    }

    /// The buffer that text goes to now, if any.
    fn buf(&mut self) -> Option<&mut Buf> {
        if let Some((_, buf)) = &mut self.heading {
            return Some(buf);
        }
        if let Some(item) = &mut self.item {
            if let Some(&i) = self.nested.last() {
                return item.follow_ups.get_mut(i);
            }
            if item.paragraphs.is_empty() {
                item.paragraphs.push(Buf::default());
            }
            return item.paragraphs.last_mut();
        }
        self.paragraph.as_mut()
    }

    fn text(&mut self, text: &str, words: bool) {
        if !self.hidden.is_empty() {
            self.hidden_text.push_str(text);
            return;
        }
        // The alt text of an image is not part of the question.
        if self.images > 0 {
            return;
        }
        let in_link = self.links > 0;
        if let Some(buf) = self.buf() {
            buf.text.push_str(text);
            if words && !in_link && text.chars().any(char::is_alphanumeric) {
                buf.own_words = true;
            }
        }
    }

    /// A finished top-level list: its items are questions if most of them ask something,
    /// so a landing page's list of features is not taken for interview questions.
    fn take_list(&mut self, list: Vec<Candidate>) {
        let mut kept = Vec::new();
        for mut candidate in list {
            let Some(first) = candidate.paragraphs.first() else {
                continue;
            };
            if first.is_empty() {
                // Only images, already counted, or nothing at all.
                continue;
            }
            if first.is_link_only() {
                self.draft.skipped.push(Skip::LinkLine);
                continue;
            }
            let mut follow_ups = Vec::new();
            for f in std::mem::take(&mut candidate.follow_ups) {
                if f.is_link_only() {
                    self.draft.skipped.push(Skip::LinkLine);
                } else if !f.is_empty() {
                    follow_ups.push(f.text);
                }
            }
            let mut paragraphs = candidate.paragraphs.into_iter();
            let text = paragraphs.next().map(|p| p.text).unwrap_or_default();
            kept.push(Item {
                text,
                category: candidate.category,
                follow_ups,
                talking_points: paragraphs
                    .filter(|p| !p.is_empty())
                    .map(|p| p.text)
                    .collect(),
            });
        }
        if kept.is_empty() {
            return;
        }
        let asking = kept.iter().filter(|i| looks_like_question(&i.text)).count();
        if asking * 2 >= kept.len() {
            self.draft.items.extend(kept);
        } else {
            self.draft.skipped.push(Skip::ListOfNonQuestions);
        }
    }
}

/// `title: General Questions` in YAML front matter, or `title = "..."` in TOML.
fn front_matter_title(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix("title")?.trim_start();
        let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}
