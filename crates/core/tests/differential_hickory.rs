//! Differential test: messages built and compressed by hickory-proto decode to the same content
//! with mxray's codec, and mxray's queries decode as intended with hickory's.
#![cfg(not(target_arch = "wasm32"))]

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Message as HMessage, MessageType, OpCode, Query as HQuery, ResponseCode};
use hickory_proto::rr::rdata::{self, tlsa};
use hickory_proto::rr::{Name as HName, RData as HData, Record as HRecord, RecordType as HType};
use mxray_core::dns::{Message, Name, Query, RData, RecordType};

mod common;
use common::Rng;

const LABELS: [&str; 8] = [
    "example",
    "com",
    "mail",
    "_dmarc",
    "selector1",
    "_domainkey",
    "a-b",
    "x9",
];

fn name(rng: &mut Rng) -> HName {
    let n = 1 + rng.below(4);
    let labels: Vec<&str> = (0..n).map(|_| LABELS[rng.below(8) as usize]).collect();
    HName::from_ascii(format!("{}.", labels.join("."))).unwrap()
}

fn record(rng: &mut Rng) -> HRecord {
    let owner = name(rng);
    let ttl = rng.next_u32() >> 1;
    let data = match rng.below(10) {
        0 => HData::A(rdata::A(Ipv4Addr::from(rng.next_u32()))),
        1 => HData::AAAA(rdata::AAAA(Ipv6Addr::from(
            (u128::from(rng.next_u32()) << 96) | u128::from(rng.next_u32()),
        ))),
        2 => HData::CNAME(rdata::CNAME(name(rng))),
        3 => HData::NS(rdata::NS(name(rng))),
        4 => HData::PTR(rdata::PTR(name(rng))),
        5 => HData::MX(rdata::MX::new(rng.next_u32() as u16, name(rng))),
        6 => {
            let strings: Vec<Vec<u8>> = (0..1 + rng.below(3)).map(|_| rng.bytes(255)).collect();
            HData::TXT(rdata::TXT::from_bytes(
                strings.iter().map(Vec::as_slice).collect(),
            ))
        }
        7 => HData::SOA(rdata::SOA::new(
            name(rng),
            name(rng),
            rng.next_u32(),
            (rng.next_u32() >> 1) as i32,
            (rng.next_u32() >> 1) as i32,
            (rng.next_u32() >> 1) as i32,
            rng.next_u32(),
        )),
        8 => HData::SRV(rdata::SRV::new(
            rng.next_u32() as u16,
            rng.next_u32() as u16,
            rng.next_u32() as u16,
            name(rng),
        )),
        _ => HData::TLSA(rdata::TLSA::new(
            tlsa::CertUsage::from(rng.below(4) as u8),
            tlsa::Selector::from(rng.below(2) as u8),
            tlsa::Matching::from(rng.below(3) as u8),
            rng.bytes(64),
        )),
    };
    HRecord::from_rdata(owner, ttl, data)
}

fn labels(name: &HName) -> Vec<Vec<u8>> {
    name.iter().map(<[u8]>::to_vec).collect()
}

fn same_name(ours: &Name, theirs: &HName) -> bool {
    ours.labels() == labels(theirs).as_slice()
}

fn same_data(ours: &RData, theirs: &HData) -> bool {
    match (ours, theirs) {
        (RData::A(a), HData::A(b)) => *a == b.0,
        (RData::Aaaa(a), HData::AAAA(b)) => *a == b.0,
        (RData::Cname(a), HData::CNAME(b)) => same_name(a, &b.0),
        (RData::Ns(a), HData::NS(b)) => same_name(a, &b.0),
        (RData::Ptr(a), HData::PTR(b)) => same_name(a, &b.0),
        (
            RData::Mx {
                preference,
                exchange,
            },
            HData::MX(b),
        ) => *preference == b.preference && same_name(exchange, &b.exchange),
        (RData::Txt(a), HData::TXT(b)) => {
            a.len() == b.txt_data.len()
                && a.iter().zip(b.txt_data.iter()).all(|(x, y)| x[..] == y[..])
        }
        (
            RData::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            },
            HData::SOA(b),
        ) => {
            same_name(mname, &b.mname)
                && same_name(rname, &b.rname)
                && *serial == b.serial
                && i64::from(*refresh) == i64::from(b.refresh)
                && i64::from(*retry) == i64::from(b.retry)
                && i64::from(*expire) == i64::from(b.expire)
                && *minimum == b.minimum
        }
        (
            RData::Srv {
                priority,
                weight,
                port,
                target,
            },
            HData::SRV(b),
        ) => {
            *priority == b.priority
                && *weight == b.weight
                && *port == b.port
                && same_name(target, &b.target)
        }
        (
            RData::Tlsa {
                usage,
                selector,
                matching,
                data,
            },
            HData::TLSA(b),
        ) => {
            *usage == u8::from(b.cert_usage)
                && *selector == u8::from(b.selector)
                && *matching == u8::from(b.matching)
                && *data == b.cert_data
        }
        _ => false,
    }
}

#[test]
fn messages_encoded_by_hickory_decode_to_the_same_content() {
    let mut rng = Rng(0x5eed_1234);
    let mut compared = 0;
    for round in 0..3000 {
        let mut msg = HMessage::new(rng.next_u32() as u16, MessageType::Response, OpCode::Query);
        msg.metadata.recursion_desired = true;
        msg.metadata.recursion_available = true;
        msg.metadata.authentic_data = rng.below(2) == 1;
        msg.metadata.response_code = [
            ResponseCode::NoError,
            ResponseCode::ServFail,
            ResponseCode::NXDomain,
            ResponseCode::Refused,
        ][rng.below(4) as usize];
        msg.add_query(HQuery::query(name(&mut rng), HType::TXT));
        let answers: Vec<_> = (0..rng.below(6)).map(|_| record(&mut rng)).collect();
        let authority: Vec<_> = (0..rng.below(3)).map(|_| record(&mut rng)).collect();
        msg.add_answers(answers.clone());
        msg.add_authorities(authority.clone());
        let Ok(wire) = msg.to_vec() else {
            continue; // over 64 KiB; not a message either side can carry
        };
        let ours = Message::from_wire(&wire).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(ours.id, msg.metadata.id);
        assert_eq!(ours.flags.authentic_data, msg.metadata.authentic_data);
        assert_eq!(ours.rcode.0, u16::from(msg.metadata.response_code));
        assert!(same_name(&ours.questions[0].name, msg.queries[0].name()));
        for (mine, theirs) in [(&ours.answers, &answers), (&ours.authority, &authority)] {
            assert_eq!(mine.len(), theirs.len(), "round {round}");
            for (a, b) in mine.iter().zip(theirs) {
                assert!(same_name(&a.name, &b.name), "round {round}: owner");
                assert_eq!(a.rtype.0, u16::from(b.record_type()), "round {round}");
                assert_eq!(a.ttl, b.ttl, "round {round}");
                assert!(
                    same_data(&a.data, &b.data),
                    "round {round}: {:?} vs {:?}",
                    a.data,
                    b.data
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 8000, "{compared} records compared");
}

#[test]
fn mxray_queries_decode_as_intended_with_hickory() {
    let mut rng = Rng(0xfeed_beef);
    for _ in 0..500 {
        let theirs_name = name(&mut rng);
        let ours_name = Name::parse(&theirs_name.to_ascii()).unwrap();
        let rtype = [
            RecordType::TXT,
            RecordType::MX,
            RecordType::A,
            RecordType(65),
        ][rng.below(4) as usize];
        let mut query = Query::new(ours_name, rtype);
        query.padding = rng.below(2) == 1;
        let wire = query.to_wire();
        let msg = HMessage::from_vec(&wire).expect("hickory decodes mxray's query");
        assert_eq!(msg.metadata.id, 0);
        assert!(msg.metadata.recursion_desired);
        assert_eq!(msg.queries.len(), 1);
        assert_eq!(labels(msg.queries[0].name()), labels(&theirs_name));
        assert_eq!(u16::from(msg.queries[0].query_type()), rtype.0);
        let edns = msg.edns.as_ref().expect("EDNS(0)");
        assert_eq!(edns.max_payload(), 1232);
        assert!(edns.flags().dnssec_ok);
        if query.padding {
            assert_eq!(wire.len() % 128, 0);
        }
    }
}
