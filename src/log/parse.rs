//! One log line read in one pass. The records this program writes start with `at`, `t_ms`
//! and `event`; once the tag is read, the rest of the same line goes straight into that
//! record's type, so no line is copied into a tree first and none is read twice. A line
//! whose fields come before its tag (written by hand) is read in two passes instead: its
//! header, then the record.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::value::CowStrDeserializer;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::record::{Body, Header, ParseError};

/// The header and the record of one line; the header's strings are borrowed from it.
pub fn parse_line(line: &str) -> Result<(Header<'_>, Body), ParseError> {
    let mut tag = None;
    let mut de = serde_json::Deserializer::from_str(line);
    let read = de
        .deserialize_map(LineVisitor { tag: &mut tag })
        .and_then(|read| de.end().map(|()| read));
    let (header, body) = match read {
        Ok(read) => read,
        Err(e) if e.is_data() => match tag {
            Some(event) => {
                return Err(ParseError::Record {
                    event: event.into_owned(),
                    problem: problem(&e),
                });
            }
            None => return Err(ParseError::Json(e)),
        },
        Err(e) => return Err(ParseError::Json(e)),
    };
    if let Some(body) = body {
        return Ok((header, body));
    }
    let Some(event) = header.event.as_deref() else {
        return Err(ParseError::NoEvent);
    };
    let body = Body::parse(event, line).map_err(|e| ParseError::Record {
        event: event.to_string(),
        problem: problem(&e),
    })?;
    Ok((header, body))
}

/// serde's `missing field `answer_ms` at line 1 column 80` as `without answer_ms`.
fn problem(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = text.split(" at line ").next().unwrap_or(&text);
    match text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        Some(field) => format!("without {field}"),
        None => format!("has {text}"),
    }
}

/// A string borrowed from the line when it has no escapes to undo.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads the header fields up to the tag, then the record the tag names from the rest of
/// the map. The record is `None` when a field of it came before the tag.
struct LineVisitor<'t, 'de> {
    /// The tag, once read: an error after it is about that record.
    tag: &'t mut Option<Cow<'de, str>>,
}

impl<'de> Visitor<'de> for LineVisitor<'_, 'de> {
    type Value = (Header<'de>, Option<Body>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut header = Header::default();
        let mut fields_first = false;
        while let Some(Text(key)) = map.next_key()? {
            if key == "event" && !fields_first {
                let Text(tag) = map.next_value()?;
                *self.tag = Some(tag.clone());
                let rest = Rest {
                    map: &mut map,
                    header: &mut header,
                };
                let body = Body::from_rest(&tag, rest)?;
                header.event = Some(tag);
                return Ok((header, Some(body)));
            }
            if !header.take(&key, &mut map)? {
                fields_first = true;
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((header, None))
    }
}

impl<'de> Header<'de> {
    /// Reads the value of `key` if it is a header field; false if it is not one.
    fn take<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "event" => self.event = map.next_value::<Option<Text>>()?.map(|t| t.0),
            "at" => self.at = map.next_value::<Option<Text>>()?.map(|t| t.0),
            "t_ms" => self.t_ms = map.next_value()?,
            "schema" => self.schema = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The rest of a line's map after its tag, for the record's own type; header fields met
/// there (a hand-written line) still go to the header.
struct Rest<'m, 'h, 'de, A> {
    map: &'m mut A,
    header: &'h mut Header<'de>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Rest<'_, '_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(Text(key)) = self.map.next_key()? else {
                return Ok(None);
            };
            if matches!(&*key, "at" | "t_ms") {
                self.header.take(&key, self.map)?;
                continue;
            }
            return seed.deserialize(CowStrDeserializer::new(key)).map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}
