//! Questions in Markdown: list items (numbered or bulleted) are questions, headings are
//! categories, nested items are follow-ups of the item above. Prep sites add two more
//! shapes: a numbered or labelled heading per question (`### 1. Tell me about yourself.`)
//! and a numbered or bold paragraph per question (`**Q8. …?**`, `Question 10: …`); the
//! paragraphs and lists under such a question are its talking points. Lines labelled as an
//! answer (`*Example answer:*`, `Tip:`) under any question are talking points too. Read
//! through pulldown-cmark, so emphasis, links and entities arrive as plain text and code
//! blocks, tables, HTML and front matter arrive as blocks to leave out.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Draft, Item, Skip, answer_label, category_name, looks_like_question, strip_number};

/// Text of one paragraph, heading or list item, and what it was made of.
#[derive(Debug, Default)]
struct Buf {
    /// Lines of the source are kept apart by `\n`, so labelled lines can be found.
    text: String,
    /// Where it starts, 1-based.
    line: usize,
    links: usize,
    images: usize,
    /// Some letter or digit outside links: the item says something of its own.
    own_words: bool,
    /// Some letter or digit outside bold text.
    plain_words: bool,
}

impl Buf {
    fn at(line: usize) -> Buf {
        Buf {
            line,
            ..Buf::default()
        }
    }

    fn is_link_only(&self) -> bool {
        self.links > 0 && !self.own_words
    }

    fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Its text split where a line starts with an answer label: what comes before (the
    /// question), then each labelled run of lines with the line it starts on.
    fn split_answers(&self) -> (String, Vec<(usize, String)>) {
        let mut head = String::new();
        let mut answers: Vec<(usize, String)> = Vec::new();
        for (i, line) in self.text.split('\n').enumerate() {
            let target = if answer_label(line.trim()) {
                answers.push((self.line + i, String::new()));
                answers.last_mut().map(|(_, t)| t)
            } else {
                Some(answers.last_mut().map_or(&mut head, |(_, t)| t))
            };
            if let Some(target) = target {
                target.push(' ');
                target.push_str(line);
            }
        }
        (head, answers)
    }
}

/// A top-level list item on its way to becoming a question.
#[derive(Debug, Default)]
struct Candidate {
    paragraphs: Vec<Buf>,
    follow_ups: Vec<Buf>,
    category: Option<String>,
    line: usize,
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

/// A question made from a heading or a paragraph: what follows it, up to the next
/// heading or question, is its answer.
#[derive(Debug)]
struct Open {
    item: Item,
    /// It came from a heading: a list of questions under it makes it their category.
    heading: bool,
}

#[derive(Default)]
struct Walker {
    draft: Draft,
    /// Where each line of the source starts, to turn offsets into line numbers.
    line_starts: Vec<usize>,
    /// The line of the event being read.
    line: usize,
    category: Option<String>,
    heading: Option<(HeadingLevel, Buf)>,
    /// How many lists we are inside.
    depth: usize,
    /// Items of the top-level list being read, and the line the list starts on.
    list: Vec<Candidate>,
    list_line: usize,
    item: Option<Candidate>,
    /// Indexes into `item.follow_ups` of the nested items being read, innermost last.
    nested: Vec<usize>,
    /// A paragraph outside any list.
    paragraph: Option<Buf>,
    open: Option<Open>,
    hidden: Vec<Hidden>,
    /// The text of the hidden block being read (front matter, HTML).
    hidden_text: String,
    /// Where the hidden block starts.
    hidden_line: usize,
    links: usize,
    images: usize,
    strong: usize,
}

pub fn draft(text: &str) -> Draft {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut walker = Walker {
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        ..Walker::default()
    };
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        walker.line = walker.line_starts.partition_point(|&s| s <= range.start);
        walker.event(event);
    }
    walker.close_open();
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
            Event::SoftBreak | Event::HardBreak => self.text("\n", false),
            Event::Rule => self.close_open(),
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
            walker.hidden_line = walker.line;
        };
        match tag {
            Tag::CodeBlock(_) => hide(self, Hidden::Code),
            Tag::Table(_) => hide(self, Hidden::Table),
            Tag::HtmlBlock => hide(self, Hidden::Html),
            Tag::MetadataBlock(_) => hide(self, Hidden::FrontMatter),
            Tag::FootnoteDefinition(_) => hide(self, Hidden::Footnote),
            Tag::Heading { level, .. } => self.heading = Some((level, Buf::at(self.line))),
            Tag::List(_) => {
                self.depth += 1;
                if self.depth == 1 {
                    self.list.clear();
                    self.list_line = self.line;
                }
            }
            Tag::Item if self.depth == 1 => {
                self.item = Some(Candidate {
                    category: self.category.clone(),
                    line: self.line,
                    ..Candidate::default()
                });
            }
            Tag::Item => {
                if let Some(item) = &mut self.item {
                    item.follow_ups.push(Buf::at(self.line));
                    self.nested.push(item.follow_ups.len() - 1);
                }
            }
            Tag::Paragraph => match &mut self.item {
                Some(item) if self.nested.is_empty() => item.paragraphs.push(Buf::at(self.line)),
                Some(_) => self.text(" ", false),
                None => self.paragraph = Some(Buf::at(self.line)),
            },
            Tag::Strong => self.strong += 1,
            Tag::Link { .. } => {
                self.links += 1;
                if let Some(buf) = self.buf() {
                    buf.links += 1;
                }
            }
            Tag::Image { .. } => {
                self.images += 1;
                self.draft.skip(Skip::Image, self.line, "");
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
                    self.end_heading(level, &buf);
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
                    self.take_paragraph(paragraph);
                }
            }
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Link => self.links = self.links.saturating_sub(1),
            TagEnd::Image => self.images = self.images.saturating_sub(1),
            _ => {}
        }
    }

    /// A heading names the list (the first H1), a category, or, numbered and asking, a
    /// question of its own.
    fn end_heading(&mut self, level: HeadingLevel, buf: &Buf) {
        self.close_open();
        let name = category_name(&buf.text);
        let own = strip_number(&name);
        if own.len() < name.len() && looks_like_question(own) {
            self.draft
                .note(buf.line, "a heading read as a question", &buf.text);
            self.open = Some(Open {
                item: Item {
                    text: own.to_string(),
                    line: buf.line,
                    category: self.category.clone(),
                    ..Item::default()
                },
                heading: true,
            });
            return;
        }
        if level == HeadingLevel::H1 && self.draft.title.is_none() && !name.is_empty() {
            self.draft.title = Some(name.clone());
        }
        self.category = (!name.is_empty()).then_some(name);
    }

    /// A paragraph outside any list: a question when it is numbered or bold and asks, a
    /// talking point under a question, or prose to leave out.
    fn take_paragraph(&mut self, paragraph: Buf) {
        let text = paragraph.text.trim();
        let mdx = (text.starts_with("import ") || text.starts_with("export "))
            && (text.contains(" from ") || text.ends_with(';'));
        if mdx {
            self.draft.skip(Skip::MdxLine, paragraph.line, "");
            return;
        }
        if paragraph.is_empty() {
            return;
        }
        let (head, answers) = paragraph.split_answers();
        let own = strip_number(head.trim());
        let numbered = own.len() < head.trim().len();
        let bold = !paragraph.plain_words && own.contains('?');
        if (numbered || bold) && looks_like_question(own) && !paragraph.is_link_only() {
            self.close_open();
            self.draft
                .note(paragraph.line, "a paragraph read as a question", own);
            self.open = Some(Open {
                item: Item {
                    text: own.to_string(),
                    line: paragraph.line,
                    category: self.category.clone(),
                    ..Item::default()
                },
                heading: false,
            });
            self.points(answers);
            return;
        }
        let labelled = answer_label(text);
        if self.open.is_some() && !paragraph.is_link_only() {
            self.points(vec![(paragraph.line, paragraph.text)]);
        } else if labelled && !self.draft.items.is_empty() {
            // An answer under the last question of a list, after a blank line.
            if let Some(last) = self.draft.items.last_mut() {
                let question = last.line;
                last.talking_points.push(paragraph.text.clone());
                self.draft.note_point(paragraph.line, question, text);
            }
        } else {
            self.draft.skip(Skip::Paragraph, paragraph.line, text);
        }
    }

    /// Talking points of the open question, each with the line it starts on.
    fn points(&mut self, points: Vec<(usize, String)>) {
        for (line, text) in points {
            let Some(open) = &mut self.open else { return };
            open.item.talking_points.push(text.clone());
            self.draft.note_point(line, open.item.line, &text);
        }
    }

    /// The open question is complete: it joins the questions.
    fn close_open(&mut self) {
        if let Some(open) = self.open.take() {
            self.draft.items.push(open.item);
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
        self.draft.skip(skip, self.hidden_line, "");
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
                item.paragraphs.push(Buf::at(item.line));
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
        let in_bold = self.strong > 0;
        if let Some(buf) = self.buf() {
            buf.text.push_str(text);
            let has_words = words && text.chars().any(char::is_alphanumeric);
            if has_words && !in_link {
                buf.own_words = true;
            }
            if has_words && !in_bold {
                buf.plain_words = true;
            }
        }
    }

    /// A finished top-level list: its items are questions if most of them ask something,
    /// so a landing page's list of features is not taken for interview questions. Under
    /// a question of a heading or a paragraph, a list that does not ask is its answer.
    fn take_list(&mut self, list: Vec<Candidate>) {
        let mut kept = Vec::new();
        for candidate in list {
            if let Some(item) = self.candidate(candidate) {
                kept.push(item);
            }
        }
        if kept.is_empty() {
            return;
        }
        let asking = kept.iter().filter(|i| looks_like_question(&i.text)).count();
        if asking * 2 >= kept.len() {
            match self.open.take() {
                // `## 1. Why do these matter?` over a list of questions names them.
                Some(open) if open.heading && open.item.talking_points.is_empty() => {
                    self.category = Some(open.item.text);
                    for item in &mut kept {
                        item.category.clone_from(&self.category);
                    }
                }
                Some(open) => self.draft.items.push(open.item),
                None => {}
            }
            self.draft.items.extend(kept);
        } else if self.open.is_some() {
            let points = kept.into_iter().map(|i| (i.line, i.text)).collect();
            self.points(points);
        } else {
            self.draft
                .skip(Skip::ListOfNonQuestions, self.list_line, &kept[0].text);
        }
    }

    /// One list item as a question: its first paragraph up to any answer label is the
    /// question, labelled lines and later paragraphs are talking points, nested items
    /// follow-ups (or talking points, when they do not ask).
    fn candidate(&mut self, mut candidate: Candidate) -> Option<Item> {
        let first = candidate.paragraphs.first()?;
        if first.is_empty() {
            // Only images, already counted, or nothing at all.
            return None;
        }
        if first.is_link_only() {
            self.draft.skip(Skip::LinkLine, candidate.line, &first.text);
            return None;
        }
        let (text, answers) = first.split_answers();
        let mut talking_points = Vec::new();
        for (line, point) in answers {
            self.draft.note_point(line, candidate.line, &point);
            talking_points.push(point);
        }
        let mut follow_ups = Vec::new();
        for f in std::mem::take(&mut candidate.follow_ups) {
            let asks = looks_like_question(f.text.trim()) && !answer_label(f.text.trim());
            if f.is_link_only() {
                self.draft.skip(Skip::LinkLine, f.line, &f.text);
            } else if f.is_empty() {
                continue;
            } else if asks {
                follow_ups.push(f.text);
            } else {
                self.draft.note_point(f.line, candidate.line, &f.text);
                talking_points.push(f.text);
            }
        }
        for p in candidate.paragraphs.into_iter().skip(1) {
            if !p.is_empty() {
                talking_points.push(p.text);
            }
        }
        Some(Item {
            text,
            line: candidate.line,
            category: candidate.category,
            follow_ups,
            talking_points,
        })
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
