//! Encode → decode round trips of whole messages: every record type, flags, extended RCODEs and
//! EDNS options come back exactly as they went in.

use mxray_core::dns::wire::Question;
use mxray_core::dns::{Edns, Flags, Message, RData, Rcode, Record, RecordType};

mod common;
use common::{Rng, data, name};

fn record(rng: &mut Rng) -> Record {
    let (rtype, mut data) = data(rng);
    if let RData::Txt(strings) = &mut data {
        // A character-string holds at most 255 bytes on the wire.
        for s in strings {
            s.truncate(255);
        }
    }
    Record {
        name: name(rng),
        rtype,
        class: 1,
        ttl: rng.next_u32(),
        data,
    }
}

fn message(rng: &mut Rng) -> Message {
    let bit = |rng: &mut Rng| rng.below(2) == 1;
    let edns = bit(rng).then(|| Edns {
        payload: rng.next() as u16,
        version: 0,
        dnssec_ok: bit(rng),
        options: (0..rng.below(3))
            .map(|_| (rng.next() as u16, rng.bytes(20)))
            .collect(),
    });
    let rcode = if edns.is_some() {
        Rcode(rng.below(4096) as u16)
    } else {
        Rcode(rng.below(16) as u16)
    };
    Message {
        id: rng.next() as u16,
        flags: Flags {
            response: bit(rng),
            opcode: rng.below(16) as u8,
            authoritative: bit(rng),
            truncated: bit(rng),
            recursion_desired: bit(rng),
            recursion_available: bit(rng),
            authentic_data: bit(rng),
            checking_disabled: bit(rng),
        },
        rcode,
        questions: (0..rng.below(2))
            .map(|_| Question {
                name: name(rng),
                rtype: RecordType(rng.next() as u16),
                class: 1,
            })
            .collect(),
        answers: (0..rng.below(5)).map(|_| record(rng)).collect(),
        authority: (0..rng.below(3)).map(|_| record(rng)).collect(),
        additional: (0..rng.below(3)).map(|_| record(rng)).collect(),
        edns,
    }
}

#[test]
fn messages_survive_encode_then_decode() {
    let mut rng = Rng(0x5eed_0fd0_e500_0001);
    for round in 0..5000 {
        let message = message(&mut rng);
        let wire = message.to_wire();
        let decoded =
            Message::from_wire(&wire).unwrap_or_else(|e| panic!("round {round}: {e}: {message:?}"));
        assert_eq!(decoded, message, "round {round}");
    }
}

#[test]
fn nsec_bitmaps_are_written_in_windows_and_read_back_sorted() {
    let types = vec![
        RecordType(1234),
        RecordType::A,
        RecordType::NXNAME,
        RecordType::A,
        RecordType(65535),
    ];
    let data = RData::Nsec {
        next: mxray_core::dns::Name::parse("next.example").unwrap(),
        types,
    };
    let record = Record {
        name: Default::default(),
        rtype: RecordType::NSEC,
        class: 1,
        ttl: 0,
        data,
    };
    let msg = Message {
        id: 0,
        flags: Flags::default(),
        rcode: Rcode::NOERROR,
        questions: Vec::new(),
        answers: vec![record],
        authority: Vec::new(),
        additional: Vec::new(),
        edns: None,
    };
    let back = Message::from_wire(&msg.to_wire()).unwrap();
    let RData::Nsec { types, .. } = &back.answers[0].data else {
        panic!("NSEC expected");
    };
    assert_eq!(
        types,
        &[
            RecordType::A,
            RecordType::NXNAME,
            RecordType(1234),
            RecordType(65535)
        ]
    );
}
