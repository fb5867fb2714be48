//! The RFC 1035 §4 message format, as DNS-over-HTTPS (RFC 8484) carries it.
//!
//! ```text
//!                                 1  1  1  1  1  1
//!   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |                      ID                       |
//! |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
//! |                    QDCOUNT                    |
//! |                    ANCOUNT                    |
//! |                    NSCOUNT                    |
//! |                    ARCOUNT                    |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! ```
//!
//! Queries are built for RFC 8484 §4.1: ID 0 (so HTTP caches can share answers), RD set, and an
//! EDNS(0) OPT record (RFC 6891) advertising a 1232-byte payload with the DO bit, optionally
//! padded to a multiple of 128 bytes (RFC 7830, RFC 8467 §4.1).
//!
//! Responses are parsed with nom. Running out of bytes and malformed content are different
//! errors ([`WireErrorKind::Truncated`] and [`WireErrorKind::Malformed`]), both with the byte
//! offset. Name compression pointers must point strictly backwards, which bounds the work and
//! makes loops impossible. Nothing here panics on any input.

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use nom::{IResult, Parser, bytes::complete::take, number::complete::be_u16};

use super::{Name, RecordType};

/// The UDP payload size advertised in EDNS(0), as the DNS Flag Day 2020 recommends.
pub const EDNS_PAYLOAD: u16 = 1232;
const OPT_PADDING: u16 = 12;
const CLASS_IN: u16 = 1;

/// A question to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// The name asked about.
    pub name: Name,
    /// The type asked for.
    pub rtype: RecordType,
    /// Pad the message to a multiple of 128 bytes (RFC 8467 §4.1). On by default.
    pub padding: bool,
}

impl Query {
    /// A query with padding on.
    pub fn new(name: Name, rtype: RecordType) -> Self {
        Self {
            name,
            rtype,
            padding: true,
        }
    }

    /// The wire form for RFC 8484: ID 0, RD, EDNS(0) with DO and a 1232-byte payload.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(&0u16.to_be_bytes()); // ID 0: RFC 8484 §4.1
        out.extend_from_slice(&0x0100u16.to_be_bytes()); // RD
        out.extend_from_slice(&1u16.to_be_bytes()); // QDCOUNT
        out.extend_from_slice(&0u16.to_be_bytes()); // ANCOUNT
        out.extend_from_slice(&0u16.to_be_bytes()); // NSCOUNT
        out.extend_from_slice(&1u16.to_be_bytes()); // ARCOUNT: the OPT record
        self.name.write_wire(&mut out);
        out.extend_from_slice(&self.rtype.0.to_be_bytes());
        out.extend_from_slice(&CLASS_IN.to_be_bytes());
        // OPT pseudo-record, RFC 6891 §6.1.2: root owner, CLASS = payload size,
        // TTL = extended RCODE (0), version (0), DO bit and zero flags.
        out.push(0);
        out.extend_from_slice(&RecordType::OPT.0.to_be_bytes());
        out.extend_from_slice(&EDNS_PAYLOAD.to_be_bytes());
        out.extend_from_slice(&0x0000_8000u32.to_be_bytes());
        if self.padding {
            // RDATA = one padding option (code 12, RFC 7830) that brings the total to a
            // multiple of 128 bytes.
            let unpadded = out.len() + 2 + 4;
            let pad = (128 - unpadded % 128) % 128;
            out.extend_from_slice(&((4 + pad) as u16).to_be_bytes());
            out.extend_from_slice(&OPT_PADDING.to_be_bytes());
            out.extend_from_slice(&(pad as u16).to_be_bytes());
            out.resize(out.len() + pad, 0);
        } else {
            out.extend_from_slice(&0u16.to_be_bytes());
        }
        out
    }
}

/// The response code, with the extended bits from the OPT record folded in (RFC 6891 §6.1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rcode(pub u16);

impl Rcode {
    pub const NOERROR: Self = Self(0);
    pub const FORMERR: Self = Self(1);
    pub const SERVFAIL: Self = Self(2);
    pub const NXDOMAIN: Self = Self(3);
    pub const NOTIMP: Self = Self(4);
    pub const REFUSED: Self = Self(5);
    pub const BADVERS: Self = Self(16);
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            0 => "NOERROR",
            1 => "FORMERR",
            2 => "SERVFAIL",
            3 => "NXDOMAIN",
            4 => "NOTIMP",
            5 => "REFUSED",
            6 => "YXDOMAIN",
            7 => "YXRRSET",
            8 => "NXRRSET",
            9 => "NOTAUTH",
            10 => "NOTZONE",
            16 => "BADVERS",
            n => return write!(f, "RCODE{n}"),
        };
        f.write_str(name)
    }
}

/// Header flags (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD and CD).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub response: bool,
    pub opcode: u8,
    pub authoritative: bool,
    pub truncated: bool,
    pub recursion_desired: bool,
    pub recursion_available: bool,
    /// Authentic Data: the resolver validated the answer with DNSSEC.
    pub authentic_data: bool,
    pub checking_disabled: bool,
}

/// The EDNS(0) information of a response (RFC 6891).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edns {
    pub payload: u16,
    pub version: u8,
    pub dnssec_ok: bool,
    /// Options as (code, data), in order.
    pub options: Vec<(u16, Vec<u8>)>,
}

/// A question section entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub name: Name,
    pub rtype: RecordType,
    pub class: u16,
}

/// Record data. Types this codec does not decode yet stay as raw bytes (RFC 3597).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RData {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Cname(Name),
    Ns(Name),
    Ptr(Name),
    Mx {
        preference: u16,
        exchange: Name,
    },
    /// Each character-string kept separately, as bytes (RFC 1035 §3.3.14).
    Txt(Vec<Vec<u8>>),
    Soa {
        mname: Name,
        rname: Name,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
    /// RFC 2782.
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: Name,
    },
    /// RFC 8659: flags, property tag and value, both as bytes.
    Caa {
        flags: u8,
        tag: Vec<u8>,
        value: Vec<u8>,
    },
    /// RFC 6698.
    Tlsa {
        usage: u8,
        selector: u8,
        matching: u8,
        data: Vec<u8>,
    },
    /// RFC 4034 §4: the next owner name and the types present (the type bitmap).
    Nsec {
        next: Name,
        types: Vec<RecordType>,
    },
    /// Any other type, as its raw RDATA.
    Unknown(Vec<u8>),
}

/// A resource record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub name: Name,
    pub rtype: RecordType,
    pub class: u16,
    pub ttl: u32,
    pub data: RData,
}

/// A decoded DNS message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: u16,
    pub flags: Flags,
    pub rcode: Rcode,
    pub questions: Vec<Question>,
    pub answers: Vec<Record>,
    pub authority: Vec<Record>,
    /// The additional section without the OPT pseudo-record, which is in [`Message::edns`].
    pub additional: Vec<Record>,
    pub edns: Option<Edns>,
}

/// What went wrong while decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireErrorKind {
    /// The message ended before what it announced was complete.
    Truncated,
    /// The bytes are present but not a valid message.
    Malformed(&'static str),
}

/// A decoding error with the byte offset where it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WireError {
    pub kind: WireErrorKind,
    pub offset: usize,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            WireErrorKind::Truncated => {
                write!(
                    f,
                    "message truncated: ran out of bytes at byte {}",
                    self.offset
                )
            }
            WireErrorKind::Malformed(what) => {
                write!(f, "malformed message at byte {}: {what}", self.offset)
            }
        }
    }
}

impl std::error::Error for WireError {}

/// A cursor over a whole message: names need the whole message for compression pointers.
struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn truncated(&self) -> WireError {
        WireError {
            kind: WireErrorKind::Truncated,
            offset: self.msg.len(),
        }
    }

    fn malformed(&self, offset: usize, what: &'static str) -> WireError {
        WireError {
            kind: WireErrorKind::Malformed(what),
            offset,
        }
    }

    /// Runs a nom parser at the cursor; a nom failure here can only mean "out of bytes".
    fn run<O>(
        &mut self,
        mut parser: impl Parser<&'a [u8], Output = O, Error = nom::error::Error<&'a [u8]>>,
    ) -> Result<O, WireError> {
        let input = &self.msg[self.pos..];
        match parser.parse(input) {
            Ok((rest, out)) => {
                self.pos = self.msg.len() - rest.len();
                Ok(out)
            }
            Err(_) => Err(self.truncated()),
        }
    }

    fn u16(&mut self) -> Result<u16, WireError> {
        self.run(be_u16)
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        self.run(nom::number::complete::be_u32)
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        self.run(take(n))
    }

    /// A possibly compressed name (RFC 1035 §4.1.4). Pointers must go strictly backwards.
    fn name(&mut self) -> Result<Name, WireError> {
        let (name, next) = read_name(self.msg, self.pos)?;
        self.pos = next;
        Ok(name)
    }
}

/// Reads a name starting at `start`; returns it and the offset just after it in place.
fn read_name(msg: &[u8], start: usize) -> Result<(Name, usize), WireError> {
    let truncated = WireError {
        kind: WireErrorKind::Truncated,
        offset: msg.len(),
    };
    let mut labels = Vec::new();
    let mut pos = start;
    let mut end_in_place = None;
    let mut wire_len = 1usize;
    // Every pointer must go to an offset below the lowest one seen so far, so the walk ends.
    let mut limit = start;
    loop {
        let &len = msg.get(pos).ok_or(truncated)?;
        match len & 0xc0 {
            0x00 => {
                if len == 0 {
                    let next = end_in_place.unwrap_or(pos + 1);
                    let name = Name::from_labels(labels).map_err(|_| WireError {
                        kind: WireErrorKind::Malformed("name longer than 255 bytes"),
                        offset: start,
                    })?;
                    return Ok((name, next));
                }
                let label_end = pos + 1 + len as usize;
                let label = msg.get(pos + 1..label_end).ok_or(truncated)?;
                wire_len += label.len() + 1;
                if wire_len > 255 {
                    return Err(WireError {
                        kind: WireErrorKind::Malformed("name longer than 255 bytes"),
                        offset: pos,
                    });
                }
                labels.push(label.to_vec());
                pos = label_end;
            }
            0xc0 => {
                let &low = msg.get(pos + 1).ok_or(truncated)?;
                let target = (usize::from(len & 0x3f) << 8) | usize::from(low);
                if target >= limit {
                    return Err(WireError {
                        kind: WireErrorKind::Malformed(
                            "compression pointer does not point backwards",
                        ),
                        offset: pos,
                    });
                }
                end_in_place.get_or_insert(pos + 2);
                limit = target;
                pos = target;
            }
            _ => {
                return Err(WireError {
                    kind: WireErrorKind::Malformed("reserved label type"),
                    offset: pos,
                });
            }
        }
    }
}

fn header_flags(raw: u16) -> (Flags, u16) {
    let bit = |n: u16| raw & (1 << n) != 0;
    let flags = Flags {
        response: bit(15),
        opcode: ((raw >> 11) & 0x0f) as u8,
        authoritative: bit(10),
        truncated: bit(9),
        recursion_desired: bit(8),
        recursion_available: bit(7),
        authentic_data: bit(5),
        checking_disabled: bit(4),
    };
    (flags, raw & 0x0f)
}

fn header(input: &[u8]) -> IResult<&[u8], [u16; 6]> {
    let (rest, (id, flags, qd, an, ns, ar)) =
        (be_u16, be_u16, be_u16, be_u16, be_u16, be_u16).parse(input)?;
    Ok((rest, [id, flags, qd, an, ns, ar]))
}

impl Message {
    /// Decodes a whole message. Bytes after the announced records are an error.
    pub fn from_wire(msg: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader { msg, pos: 0 };
        let [id, raw_flags, qd, an, ns, ar] = r.run(header)?;
        let (flags, low_rcode) = header_flags(raw_flags);
        let mut questions = Vec::with_capacity(usize::from(qd).min(4));
        for _ in 0..qd {
            let name = r.name()?;
            let rtype = RecordType(r.u16()?);
            let class = r.u16()?;
            questions.push(Question { name, rtype, class });
        }
        let mut sections: [Vec<Record>; 3] = Default::default();
        let mut edns = None;
        let mut high_rcode = 0u16;
        for (i, count) in [an, ns, ar].into_iter().enumerate() {
            for _ in 0..count {
                let start = r.pos;
                let name = r.name()?;
                let rtype = RecordType(r.u16()?);
                let class = r.u16()?;
                let ttl = r.u32()?;
                let rdlen = usize::from(r.u16()?);
                let rdata_start = r.pos;
                let rdata = r.bytes(rdlen)?;
                if rtype == RecordType::OPT {
                    if i != 2 || edns.is_some() || !name.is_root() {
                        return Err(r.malformed(start, "misplaced or repeated OPT record"));
                    }
                    high_rcode = (ttl >> 24) as u16;
                    edns = Some(Edns {
                        payload: class,
                        version: (ttl >> 16) as u8,
                        dnssec_ok: ttl & 0x8000 != 0,
                        options: opt_options(rdata, rdata_start)?,
                    });
                    continue;
                }
                let data = rdata_of(msg, rtype, rdata_start, rdlen)?;
                sections[i].push(Record {
                    name,
                    rtype,
                    class,
                    ttl,
                    data,
                });
            }
        }
        if r.pos != msg.len() {
            return Err(r.malformed(r.pos, "bytes after the last record"));
        }
        let [answers, authority, additional] = sections;
        Ok(Self {
            id,
            flags,
            rcode: Rcode((high_rcode << 4) | low_rcode),
            questions,
            answers,
            authority,
            additional,
            edns,
        })
    }
}

impl Message {
    /// Encodes the message (no name compression). Used to serve answers from memory (the
    /// fixture-free tests, offline mode) and to check the decoder by round trips. Values a
    /// message cannot carry are cut to fit: a TXT string to 255 bytes, a section to 65,535
    /// records.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        let f = &self.flags;
        let flags = u16::from(f.response) << 15
            | u16::from(f.opcode & 0x0f) << 11
            | u16::from(f.authoritative) << 10
            | u16::from(f.truncated) << 9
            | u16::from(f.recursion_desired) << 8
            | u16::from(f.recursion_available) << 7
            | u16::from(f.authentic_data) << 5
            | u16::from(f.checking_disabled) << 4
            | (self.rcode.0 & 0x0f);
        let count = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        let extra = usize::from(self.edns.is_some());
        for value in [
            self.id,
            flags,
            count(self.questions.len()),
            count(self.answers.len()),
            count(self.authority.len()),
            count(self.additional.len() + extra),
        ] {
            out.extend_from_slice(&value.to_be_bytes());
        }
        for q in self.questions.iter().take(usize::from(u16::MAX)) {
            q.name.write_wire(&mut out);
            out.extend_from_slice(&q.rtype.0.to_be_bytes());
            out.extend_from_slice(&q.class.to_be_bytes());
        }
        let additional_room = usize::from(u16::MAX) - extra;
        for (section, limit) in [
            (&self.answers, usize::from(u16::MAX)),
            (&self.authority, usize::from(u16::MAX)),
            (&self.additional, additional_room),
        ] {
            for record in section.iter().take(limit) {
                record.name.write_wire(&mut out);
                out.extend_from_slice(&record.rtype.0.to_be_bytes());
                out.extend_from_slice(&record.class.to_be_bytes());
                out.extend_from_slice(&record.ttl.to_be_bytes());
                write_with_length(&mut out, |out| record.data.write_wire(out));
            }
        }
        if let Some(edns) = &self.edns {
            out.push(0);
            out.extend_from_slice(&RecordType::OPT.0.to_be_bytes());
            out.extend_from_slice(&edns.payload.to_be_bytes());
            let ttl = u32::from(self.rcode.0 >> 4 & 0xff) << 24
                | u32::from(edns.version) << 16
                | if edns.dnssec_ok { 0x8000 } else { 0 };
            out.extend_from_slice(&ttl.to_be_bytes());
            write_with_length(&mut out, |out| {
                for (code, data) in &edns.options {
                    out.extend_from_slice(&code.to_be_bytes());
                    let data = &data[..data.len().min(usize::from(u16::MAX))];
                    out.extend_from_slice(&(data.len() as u16).to_be_bytes());
                    out.extend_from_slice(data);
                }
            });
        }
        out
    }
}

/// Writes a 16-bit length and then what `write` writes (cut to 65,535 bytes).
fn write_with_length(out: &mut Vec<u8>, write: impl FnOnce(&mut Vec<u8>)) {
    let at = out.len();
    out.extend_from_slice(&[0, 0]);
    write(out);
    let len = (out.len() - at - 2).min(usize::from(u16::MAX));
    out.truncate(at + 2 + len);
    out[at..at + 2].copy_from_slice(&(len as u16).to_be_bytes());
}

impl RData {
    /// Appends the uncompressed wire form (RFC 1035 §3.3 and each type's RFC).
    pub fn write_wire(&self, out: &mut Vec<u8>) {
        match self {
            Self::A(ip) => out.extend_from_slice(&ip.octets()),
            Self::Aaaa(ip) => out.extend_from_slice(&ip.octets()),
            Self::Cname(name) | Self::Ns(name) | Self::Ptr(name) => name.write_wire(out),
            Self::Mx {
                preference,
                exchange,
            } => {
                out.extend_from_slice(&preference.to_be_bytes());
                exchange.write_wire(out);
            }
            Self::Txt(strings) => {
                for s in strings {
                    let s = &s[..s.len().min(255)];
                    out.push(s.len() as u8);
                    out.extend_from_slice(s);
                }
            }
            Self::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => {
                mname.write_wire(out);
                rname.write_wire(out);
                for value in [serial, refresh, retry, expire, minimum] {
                    out.extend_from_slice(&value.to_be_bytes());
                }
            }
            Self::Srv {
                priority,
                weight,
                port,
                target,
            } => {
                for value in [priority, weight, port] {
                    out.extend_from_slice(&value.to_be_bytes());
                }
                target.write_wire(out);
            }
            Self::Caa { flags, tag, value } => {
                out.push(*flags);
                let tag = &tag[..tag.len().min(255)];
                out.push(tag.len() as u8);
                out.extend_from_slice(tag);
                out.extend_from_slice(value);
            }
            Self::Tlsa {
                usage,
                selector,
                matching,
                data,
            } => {
                out.extend_from_slice(&[*usage, *selector, *matching]);
                out.extend_from_slice(data);
            }
            Self::Nsec { next, types } => {
                next.write_wire(out);
                let mut types = types.clone();
                types.sort_unstable();
                types.dedup();
                for window in 0..=255u8 {
                    let mut map = [0u8; 32];
                    let mut len = 0;
                    for t in types.iter().filter(|t| (t.0 >> 8) as u8 == window) {
                        let low = usize::from(t.0 & 0xff);
                        map[low / 8] |= 0x80 >> (low % 8);
                        len = low / 8 + 1;
                    }
                    if len > 0 {
                        out.extend_from_slice(&[window, len as u8]);
                        out.extend_from_slice(&map[..len]);
                    }
                }
            }
            Self::Unknown(bytes) => out.extend_from_slice(bytes),
        }
    }
}

fn opt_options(rdata: &[u8], base: usize) -> Result<Vec<(u16, Vec<u8>)>, WireError> {
    let mut options = Vec::new();
    let mut pos = 0;
    while pos < rdata.len() {
        let head = rdata.get(pos..pos + 4).ok_or(WireError {
            kind: WireErrorKind::Malformed("EDNS option header cut short"),
            offset: base + pos,
        })?;
        let code = u16::from_be_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
        let data = rdata.get(pos + 4..pos + 4 + len).ok_or(WireError {
            kind: WireErrorKind::Malformed("EDNS option longer than the OPT record"),
            offset: base + pos,
        })?;
        options.push((code, data.to_vec()));
        pos += 4 + len;
    }
    Ok(options)
}

/// Decodes RDATA at `start..start+len` of `msg` (names inside may point anywhere before).
fn rdata_of(msg: &[u8], rtype: RecordType, start: usize, len: usize) -> Result<RData, WireError> {
    let end = start + len;
    let rdata = &msg[start..end];
    let wrong_len = |what| WireError {
        kind: WireErrorKind::Malformed(what),
        offset: start,
    };
    // Parses names inside the RDATA and checks they stay inside it.
    let mut sub = Reader {
        msg: &msg[..end],
        pos: start,
    };
    let data = match rtype {
        RecordType::A => RData::A(Ipv4Addr::from(
            <[u8; 4]>::try_from(rdata).map_err(|_| wrong_len("A record is not 4 bytes"))?,
        )),
        RecordType::AAAA => RData::Aaaa(Ipv6Addr::from(
            <[u8; 16]>::try_from(rdata).map_err(|_| wrong_len("AAAA record is not 16 bytes"))?,
        )),
        RecordType::CNAME => RData::Cname(sub.name()?),
        RecordType::NS => RData::Ns(sub.name()?),
        RecordType::PTR => RData::Ptr(sub.name()?),
        RecordType::MX => {
            let preference = sub.u16()?;
            RData::Mx {
                preference,
                exchange: sub.name()?,
            }
        }
        RecordType::SOA => RData::Soa {
            mname: sub.name()?,
            rname: sub.name()?,
            serial: sub.u32()?,
            refresh: sub.u32()?,
            retry: sub.u32()?,
            expire: sub.u32()?,
            minimum: sub.u32()?,
        },
        RecordType::TXT | RecordType::SPF => {
            let mut strings = Vec::new();
            let mut pos = 0;
            while pos < rdata.len() {
                let n = usize::from(rdata[pos]);
                let s = rdata
                    .get(pos + 1..pos + 1 + n)
                    .ok_or(wrong_len("TXT string longer than its record"))?;
                strings.push(s.to_vec());
                pos += 1 + n;
            }
            if strings.is_empty() {
                return Err(wrong_len("TXT record with no string"));
            }
            RData::Txt(strings)
        }
        RecordType::SRV => RData::Srv {
            priority: sub.u16()?,
            weight: sub.u16()?,
            port: sub.u16()?,
            target: sub.name()?,
        },
        RecordType::CAA => {
            let (&flags, rest) = rdata
                .split_first()
                .ok_or(wrong_len("CAA record without flags"))?;
            let (&tag_len, rest) = rest
                .split_first()
                .ok_or(wrong_len("CAA record without a tag"))?;
            let tag_len = usize::from(tag_len);
            if tag_len == 0 || tag_len > rest.len() {
                return Err(wrong_len("CAA tag length is zero or past the record"));
            }
            RData::Caa {
                flags,
                tag: rest[..tag_len].to_vec(),
                value: rest[tag_len..].to_vec(),
            }
        }
        RecordType::TLSA => match rdata {
            [usage, selector, matching, data @ ..] => RData::Tlsa {
                usage: *usage,
                selector: *selector,
                matching: *matching,
                data: data.to_vec(),
            },
            _ => return Err(wrong_len("TLSA record shorter than 3 bytes")),
        },
        RecordType::NSEC => {
            let next = sub.name()?;
            let types = type_bitmap(&msg[sub.pos..end], sub.pos)?;
            sub.pos = end;
            RData::Nsec { next, types }
        }
        _ => RData::Unknown(rdata.to_vec()),
    };
    let decodes_names = matches!(
        rtype,
        RecordType::CNAME
            | RecordType::NS
            | RecordType::PTR
            | RecordType::MX
            | RecordType::SOA
            | RecordType::SRV
    );
    if decodes_names && sub.pos != end {
        return Err(wrong_len("record data longer than its content"));
    }
    Ok(data)
}

/// The NSEC/NSEC3 type bitmap (RFC 4034 §4.1.2): windows of up to 32 bytes, in order.
fn type_bitmap(bytes: &[u8], base: usize) -> Result<Vec<RecordType>, WireError> {
    let bad = |offset, what| WireError {
        kind: WireErrorKind::Malformed(what),
        offset: base + offset,
    };
    let mut types = Vec::new();
    let mut pos = 0;
    let mut last_window: Option<u8> = None;
    while pos < bytes.len() {
        let [window, len] = *bytes
            .get(pos..pos + 2)
            .and_then(|b| <&[u8; 2]>::try_from(b).ok())
            .ok_or(bad(pos, "type bitmap window cut short"))?;
        if last_window.is_some_and(|w| w >= window) {
            return Err(bad(pos, "type bitmap windows out of order"));
        }
        if len == 0 || len > 32 {
            return Err(bad(pos, "type bitmap window length not 1 to 32"));
        }
        let map = bytes
            .get(pos + 2..pos + 2 + usize::from(len))
            .ok_or(bad(pos, "type bitmap window longer than the record"))?;
        for (i, byte) in map.iter().enumerate() {
            for bit in 0..8 {
                if byte & (0x80 >> bit) != 0 {
                    let low = (i * 8 + bit) as u16;
                    types.push(RecordType((u16::from(window) << 8) | low));
                }
            }
        }
        last_window = Some(window);
        pos += 2 + usize::from(len);
    }
    Ok(types)
}

/// An Extended DNS Error (RFC 8914): why a resolver failed or what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendedError {
    pub code: u16,
    /// The EXTRA-TEXT, if any, lossily decoded as UTF-8.
    pub text: String,
}

impl ExtendedError {
    /// The registered meaning of the code (RFC 8914 §4 and the IANA registry).
    pub fn meaning(&self) -> &'static str {
        const NAMES: [&str; 31] = [
            "Other error",
            "Unsupported DNSKEY algorithm",
            "Unsupported DS digest type",
            "Stale answer",
            "Forged answer",
            "DNSSEC indeterminate",
            "DNSSEC bogus",
            "Signature expired",
            "Signature not yet valid",
            "DNSKEY missing",
            "RRSIGs missing",
            "No zone key bit set",
            "NSEC missing",
            "Cached error",
            "Not ready",
            "Blocked",
            "Censored",
            "Filtered",
            "Prohibited",
            "Stale NXDOMAIN answer",
            "Not authoritative",
            "Not supported",
            "No reachable authority",
            "Network error",
            "Invalid data",
            "Signature expired before valid",
            "Too early",
            "Unsupported NSEC3 iterations value",
            "Unable to conform to policy",
            "Synthesized",
            "Invalid query type",
        ];
        NAMES
            .get(usize::from(self.code))
            .copied()
            .unwrap_or("Unregistered error code")
    }
}

impl fmt::Display for ExtendedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (EDE {})", self.meaning(), self.code)?;
        if !self.text.is_empty() {
            write!(f, ": {}", self.text)?;
        }
        Ok(())
    }
}

/// EDNS option code of Extended DNS Errors (RFC 8914 §2).
const OPT_EDE: u16 = 15;

impl Edns {
    /// The Extended DNS Errors among the options; malformed ones (under 2 bytes) are skipped.
    pub fn extended_errors(&self) -> Vec<ExtendedError> {
        self.options
            .iter()
            .filter(|(code, data)| *code == OPT_EDE && data.len() >= 2)
            .map(|(_, data)| ExtendedError {
                code: u16::from_be_bytes([data[0], data[1]]),
                text: String::from_utf8_lossy(&data[2..]).into_owned(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &str, rtype: RecordType) -> Vec<u8> {
        Query::new(Name::parse(name).unwrap(), rtype).to_wire()
    }

    #[test]
    fn queries_follow_rfc8484_id_zero_rd_and_edns_do() {
        let wire = q("example.com", RecordType::TXT);
        assert_eq!(&wire[..2], &[0, 0], "ID 0");
        assert_eq!(&wire[2..4], &[0x01, 0x00], "RD only");
        assert_eq!(wire.len() % 128, 0, "padded to 128");
        let msg = Message::from_wire(&wire).unwrap();
        assert_eq!(msg.questions[0].name, Name::parse("example.com").unwrap());
        assert_eq!(msg.questions[0].rtype, RecordType::TXT);
        let edns = msg.edns.unwrap();
        assert_eq!(edns.payload, 1232);
        assert!(edns.dnssec_ok);
        assert_eq!(edns.options[0].0, 12, "padding option");
    }

    #[test]
    fn unpadded_queries_are_minimal() {
        let mut query = Query::new(Name::parse("a.b").unwrap(), RecordType::A);
        query.padding = false;
        let wire = query.to_wire();
        assert_eq!(wire.len(), 12 + 5 + 4 + 11);
    }

    /// A response with compression: example.com TXT "v=spf1" "-all", plus MX pointing back.
    fn sample_response() -> Vec<u8> {
        let mut m = vec![0, 0, 0x81, 0xa0, 0, 1, 0, 2, 0, 0, 0, 0];
        m.extend_from_slice(b"\x07example\x03com\x00\x00\x10\x00\x01");
        // answer 1: pointer to offset 12, TXT IN, ttl 300, two strings
        m.extend_from_slice(&[0xc0, 12, 0, 16, 0, 1, 0, 0, 1, 44, 0, 12]);
        m.extend_from_slice(b"\x06v=spf1\x04-all");
        // answer 2: MX 10 mail.<ptr 12>
        m.extend_from_slice(&[0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 9, 0, 10]);
        m.extend_from_slice(b"\x04mail\xc0\x0c");
        m
    }

    #[test]
    fn responses_decode_with_compression_and_separate_txt_strings() {
        let msg = Message::from_wire(&sample_response()).unwrap();
        assert!(msg.flags.response && msg.flags.recursion_available);
        assert!(msg.flags.authentic_data);
        assert_eq!(msg.rcode, Rcode::NOERROR);
        assert_eq!(msg.answers.len(), 2);
        assert_eq!(
            msg.answers[0].data,
            RData::Txt(vec![b"v=spf1".to_vec(), b"-all".to_vec()])
        );
        assert_eq!(msg.answers[0].ttl, 300);
        assert_eq!(
            msg.answers[1].data,
            RData::Mx {
                preference: 10,
                exchange: Name::parse("mail.example.com").unwrap()
            }
        );
    }

    #[test]
    fn every_truncation_is_reported_as_truncated_never_a_panic() {
        let full = sample_response();
        for cut in 0..full.len() {
            let err = Message::from_wire(&full[..cut]).unwrap_err();
            assert!(
                matches!(
                    err.kind,
                    WireErrorKind::Truncated | WireErrorKind::Malformed(_)
                ),
                "cut at {cut}: {err}"
            );
        }
        assert_eq!(
            Message::from_wire(&full[..5]).unwrap_err().kind,
            WireErrorKind::Truncated
        );
    }

    #[test]
    fn forward_and_self_pointers_are_malformed_with_their_offset() {
        let mut m = vec![0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]); // points at itself
        let err = Message::from_wire(&m).unwrap_err();
        assert_eq!(
            err,
            WireError {
                kind: WireErrorKind::Malformed("compression pointer does not point backwards"),
                offset: 12
            }
        );
    }

    #[test]
    fn extended_rcode_bits_come_from_opt() {
        let mut m = vec![0, 0, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 1];
        // OPT with extended rcode 1 -> BADVERS (16) when low bits are 0
        m.extend_from_slice(&[0, 0, 41, 4, 0xd0, 1, 0, 0, 0, 0, 0]);
        let msg = Message::from_wire(&m).unwrap();
        assert_eq!(msg.rcode, Rcode::BADVERS);
        assert_eq!(msg.edns.unwrap().payload, 1232);
    }

    #[test]
    fn trailing_garbage_is_malformed() {
        let mut m = sample_response();
        m.push(0);
        assert!(matches!(
            Message::from_wire(&m).unwrap_err().kind,
            WireErrorKind::Malformed(_)
        ));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A cheap deterministic sweep; the fuzz target goes much further.
        let mut state = 0x1234_5678u32;
        for _ in 0..20_000 {
            let len = (state % 96) as usize;
            let mut buf = Vec::with_capacity(len);
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                buf.push(state as u8);
            }
            let _ = Message::from_wire(&buf);
        }
    }

    /// Wraps one record of `rtype` with `rdata` in a response, owner at the root.
    fn with_rdata(rtype: RecordType, rdata: &[u8]) -> Vec<u8> {
        let mut m = vec![0, 0, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0];
        m.extend_from_slice(&rtype.0.to_be_bytes());
        m.extend_from_slice(&[0, 1, 0, 0, 0, 60]);
        m.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        m.extend_from_slice(rdata);
        m
    }

    fn only_data(rtype: RecordType, rdata: &[u8]) -> Result<RData, WireError> {
        Message::from_wire(&with_rdata(rtype, rdata)).map(|m| m.answers[0].data.clone())
    }

    #[test]
    fn srv_caa_and_tlsa_decode_their_fields() {
        assert_eq!(
            only_data(RecordType::SRV, b"\x00\x05\x00\x00\x14\x95\x04xmpp\x00").unwrap(),
            RData::Srv {
                priority: 5,
                weight: 0,
                port: 5269,
                target: Name::parse("xmpp").unwrap()
            }
        );
        assert_eq!(
            only_data(RecordType::CAA, b"\x80\x05issueca.example").unwrap(),
            RData::Caa {
                flags: 128,
                tag: b"issue".to_vec(),
                value: b"ca.example".to_vec()
            }
        );
        assert!(only_data(RecordType::CAA, b"\x00\x09issue").is_err());
        assert_eq!(
            only_data(RecordType::TLSA, &[3, 1, 1, 0xab]).unwrap(),
            RData::Tlsa {
                usage: 3,
                selector: 1,
                matching: 1,
                data: vec![0xab]
            }
        );
        assert!(only_data(RecordType::TLSA, &[3, 1]).is_err());
    }

    #[test]
    fn nsec_type_bitmaps_list_their_types() {
        // next name "\000.x", window 0: A(1) MX(15) TXT(16); window 0 again is out of order.
        let mut rdata = b"\x01\x00\x01x\x00".to_vec();
        rdata.extend_from_slice(&[0, 3, 0x40, 0x01, 0x80]);
        let RData::Nsec { next, types } = only_data(RecordType::NSEC, &rdata).unwrap() else {
            panic!("not NSEC");
        };
        assert_eq!(next.labels()[0], [0]);
        assert_eq!(types, [RecordType::A, RecordType::MX, RecordType::TXT]);
        // window 0 bit 128 is not in window 0; NXNAME (128) is in window 0 byte 16
        let mut compact = b"\x00".to_vec();
        compact.extend_from_slice(&[0, 17]);
        compact.extend_from_slice(&[0; 16]);
        compact.push(0x80);
        let RData::Nsec { types, .. } = only_data(RecordType::NSEC, &compact).unwrap() else {
            panic!("not NSEC");
        };
        assert_eq!(types, [RecordType::NXNAME]);
        let mut bad = b"\x00".to_vec();
        bad.extend_from_slice(&[1, 1, 0x80, 0, 1, 0x80]);
        assert!(
            only_data(RecordType::NSEC, &bad).is_err(),
            "windows must ascend"
        );
        assert!(
            only_data(RecordType::NSEC, b"\x00\x00\x00").is_err(),
            "zero-length window"
        );
    }

    #[test]
    fn extended_dns_errors_are_read_from_opt() {
        let mut m = vec![0, 0, 0x81, 0x82, 0, 0, 0, 0, 0, 0, 0, 1];
        let option = [&[0u8, 15, 0, 7, 0, 6][..], b"bogus"].concat();
        m.extend_from_slice(&[0, 0, 41, 4, 0xd0, 0, 0, 0, 0]);
        m.extend_from_slice(&(option.len() as u16).to_be_bytes());
        m.extend_from_slice(&option);
        let msg = Message::from_wire(&m).unwrap();
        let errors = msg.edns.unwrap().extended_errors();
        assert_eq!(errors[0].code, 6);
        assert_eq!(errors[0].to_string(), "DNSSEC bogus (EDE 6): bogus");
    }
}
