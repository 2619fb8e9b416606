//! One repair of an ONNX model file that ONNX Runtime wrote: it saves the branches of an
//! `If` node (the decoder's "with cache" and "without cache" halves) as graphs without a
//! name, and then refuses to load the file it wrote ("Field 'name' of 'graph' is required
//! to be non-empty"). This names every unnamed subgraph, copying everything else byte for
//! byte. Pure: the file's bytes in, the repaired bytes out.
//!
//! An ONNX file is a protocol buffer: each field is a key (field number and wire type) and
//! a value; a graph is a message inside a node's attribute inside the model's graph.

/// Wire types.
const VARINT: u64 = 0;
const FIXED64: u64 = 1;
const LEN: u64 = 2;
const FIXED32: u64 = 5;

/// Field numbers on the path to a subgraph's name.
const MODEL_GRAPH: u64 = 7;
const GRAPH_NODE: u64 = 1;
const GRAPH_NAME: u64 = 2;
const NODE_ATTRIBUTE: u64 = 5;
const ATTRIBUTE_GRAPH: u64 = 6;
const ATTRIBUTE_GRAPHS: u64 = 11;

#[derive(Clone, Copy)]
enum Message {
    Model,
    /// A graph; `true` for a subgraph, which must have a name.
    Graph(bool),
    Node,
    Attribute,
}

/// The model with every unnamed subgraph named `subgraph_N`.
pub fn name_subgraphs(model: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(model.len() + 64);
    let mut named = 0;
    rewrite(model, Message::Model, &mut out, &mut named)?;
    Ok(out)
}

fn rewrite(bytes: &[u8], kind: Message, out: &mut Vec<u8>, named: &mut u32) -> Result<(), String> {
    let mut at = 0;
    let mut has_name = false;
    while at < bytes.len() {
        let field_start = at;
        let key = varint(bytes, &mut at)?;
        let (field, wire) = (key >> 3, key & 7);
        let inner = match (kind, field) {
            (Message::Model, MODEL_GRAPH) => Some(Message::Graph(false)),
            (Message::Graph(_), GRAPH_NODE) => Some(Message::Node),
            (Message::Node, NODE_ATTRIBUTE) => Some(Message::Attribute),
            (Message::Attribute, ATTRIBUTE_GRAPH | ATTRIBUTE_GRAPHS) => Some(Message::Graph(true)),
            _ => None,
        };
        match wire {
            VARINT => {
                varint(bytes, &mut at)?;
            }
            FIXED64 => at += 8,
            FIXED32 => at += 4,
            LEN => {
                let len =
                    usize::try_from(varint(bytes, &mut at)?).map_err(|_| "a length is too big")?;
                let end = at
                    .checked_add(len)
                    .filter(|&e| e <= bytes.len())
                    .ok_or("a field runs past the end")?;
                if let (Message::Graph(_), GRAPH_NAME) = (kind, field) {
                    has_name = len > 0;
                }
                if let (Some(inner), LEN) = (inner, wire) {
                    let mut body = Vec::with_capacity(len + 16);
                    rewrite(&bytes[at..end], inner, &mut body, named)?;
                    put_varint(out, key);
                    put_varint(out, body.len() as u64);
                    out.extend_from_slice(&body);
                    at = end;
                    continue;
                }
                at = end;
            }
            other => return Err(format!("wire type {other} is not used by ONNX")),
        }
        let field_bytes = bytes
            .get(field_start..at)
            .ok_or("a field runs past the end")?;
        out.extend_from_slice(field_bytes);
    }
    if let Message::Graph(true) = kind
        && !has_name
    {
        *named += 1;
        let name = format!("subgraph_{named}");
        put_varint(out, GRAPH_NAME << 3 | LEN);
        put_varint(out, name.len() as u64);
        out.extend_from_slice(name.as_bytes());
    }
    Ok(())
}

fn varint(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at).ok_or("the file ends inside a number")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(value);
        }
    }
    Err("a number is longer than ten bytes".into())
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(number: u64, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, number << 3 | LEN);
        put_varint(&mut out, body.len() as u64);
        out.extend_from_slice(body);
        out
    }

    fn number(number: u64, value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, number << 3 | VARINT);
        put_varint(&mut out, value);
        out
    }

    #[test]
    fn unnamed_subgraphs_get_a_name_and_nothing_else_changes() {
        // model { ir_version 8; graph { node { attribute { g {node{}} } attribute { g { name "kept" } } } } }
        let unnamed = field(GRAPH_NODE, &[]);
        let kept = field(GRAPH_NAME, b"kept");
        let node = [
            field(
                NODE_ATTRIBUTE,
                &[field(1, b"then_branch"), field(ATTRIBUTE_GRAPH, &unnamed)].concat(),
            ),
            field(NODE_ATTRIBUTE, &field(ATTRIBUTE_GRAPH, &kept)),
        ]
        .concat();
        let model = [number(1, 8), field(MODEL_GRAPH, &field(GRAPH_NODE, &node))].concat();
        let fixed = name_subgraphs(&model).unwrap();
        let named = [unnamed.clone(), field(GRAPH_NAME, b"subgraph_1")].concat();
        let node = [
            field(
                NODE_ATTRIBUTE,
                &[field(1, b"then_branch"), field(ATTRIBUTE_GRAPH, &named)].concat(),
            ),
            field(NODE_ATTRIBUTE, &field(ATTRIBUTE_GRAPH, &kept)),
        ]
        .concat();
        let expected = [number(1, 8), field(MODEL_GRAPH, &field(GRAPH_NODE, &node))].concat();
        assert_eq!(fixed, expected);
        // A model without subgraphs comes back as it was.
        assert_eq!(name_subgraphs(&model[..2]).unwrap(), &model[..2]);
    }

    #[test]
    fn a_cut_file_is_an_error() {
        let model = field(MODEL_GRAPH, &field(GRAPH_NODE, &[1, 2, 3]));
        for cut in 1..model.len() {
            assert!(name_subgraphs(&model[..cut]).is_err(), "{cut}");
        }
    }
}
