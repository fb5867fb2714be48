//! Helpers shared by core's integration tests.
#![allow(
    dead_code,
    reason = "each test crate compiles this module and uses a different part"
)]

use mxray_core::dns::{Name, RData, RecordType};

/// xorshift64: a deterministic generator, so a failing case reproduces from its round number.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn next_u32(&mut self) -> u32 {
        (self.next() >> 32) as u32
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn bytes(&mut self, max: u64) -> Vec<u8> {
        (0..self.below(max + 1))
            .map(|_| self.next() as u8)
            .collect()
    }
}

/// A name of up to 3 labels of any bytes.
pub fn name(rng: &mut Rng) -> Name {
    let labels = (0..rng.below(4))
        .map(|_| {
            let mut label = rng.bytes(12);
            if label.is_empty() {
                label.push(b'a');
            }
            label
        })
        .collect();
    Name::from_labels(labels).unwrap()
}

/// Record data of every decoded type and an unknown one; TXT strings may pass 255 bytes.
pub fn data(rng: &mut Rng) -> (RecordType, RData) {
    match rng.below(12) {
        0 => (RecordType::A, RData::A((rng.next() as u32).into())),
        1 => (
            RecordType::AAAA,
            RData::Aaaa(u128::from(rng.next()).rotate_left(64).into()),
        ),
        2 => (RecordType::CNAME, RData::Cname(name(rng))),
        3 => (RecordType::NS, RData::Ns(name(rng))),
        4 => (RecordType::PTR, RData::Ptr(name(rng))),
        5 => (
            RecordType::MX,
            RData::Mx {
                preference: rng.next() as u16,
                exchange: name(rng),
            },
        ),
        6 => (
            RecordType::TXT,
            RData::Txt((0..1 + rng.below(3)).map(|_| rng.bytes(300)).collect()),
        ),
        7 => (
            RecordType::SOA,
            RData::Soa {
                mname: name(rng),
                rname: name(rng),
                serial: rng.next() as u32,
                refresh: rng.next() as u32,
                retry: rng.next() as u32,
                expire: rng.next() as u32,
                minimum: rng.next() as u32,
            },
        ),
        8 => (
            RecordType::SRV,
            RData::Srv {
                priority: rng.next() as u16,
                weight: rng.next() as u16,
                port: rng.next() as u16,
                target: name(rng),
            },
        ),
        9 => {
            let tags: [&[u8]; 3] = [b"issue", b"issuewild", b"iodef"];
            (
                RecordType::CAA,
                RData::Caa {
                    flags: rng.next() as u8,
                    tag: tags[rng.below(3) as usize].to_vec(),
                    value: rng.bytes(40),
                },
            )
        }
        10 => {
            let mut data = rng.bytes(40);
            data.push(1);
            (
                RecordType::TLSA,
                RData::Tlsa {
                    usage: rng.next() as u8,
                    selector: rng.next() as u8,
                    matching: rng.next() as u8,
                    data,
                },
            )
        }
        _ => (
            RecordType(60_000 + rng.below(100) as u16),
            RData::Unknown(rng.bytes(30)),
        ),
    }
}

/// Polls a future that never waits (in-memory resolvers) to its end.
pub fn now<F: core::future::Future>(future: F) -> F::Output {
    use core::task::{Context, Poll, Waker};
    match core::pin::pin!(future)
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("an in-memory future should finish at once"),
    }
}
