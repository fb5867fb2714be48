//! SPF records generated from the grammar: printing gives the canonical form, which parses
//! back to the same record, and every term's span holds that term's text.

use mxray_core::spf::Record;

mod common;
use common::Rng;

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

fn domain(rng: &mut Rng) -> String {
    let parts = [
        "example.com",
        "_spf.example.net",
        "%{d}",
        "%{ir}.%{v}._spf.%{d2}",
        "%{l1r-}.lp.example.org",
        "mail.%{o}",
        "x-y.example",
        "%{H}",
    ];
    pick(rng, &parts).to_owned()
}

fn term(rng: &mut Rng) -> String {
    let qualifier = pick(rng, &["", "+", "-", "~", "?"]);
    let cidr = |rng: &mut Rng| match rng.below(4) {
        0 => String::new(),
        1 => format!("/{}", rng.below(33)),
        2 => format!("//{}", rng.below(129)),
        _ => format!("/{}//{}", rng.below(33), rng.below(129)),
    };
    let body = match rng.below(11) {
        0 => "all".to_owned(),
        1 => format!("include:{}", domain(rng)),
        2 => {
            format!(
                "a{}",
                if rng.below(2) == 0 {
                    String::new()
                } else {
                    format!(":{}", domain(rng))
                }
            ) + &cidr(rng)
        }
        3 => {
            format!(
                "mx{}",
                if rng.below(2) == 0 {
                    String::new()
                } else {
                    format!(":{}", domain(rng))
                }
            ) + &cidr(rng)
        }
        4 => format!(
            "ptr{}",
            if rng.below(2) == 0 {
                String::new()
            } else {
                format!(":{}", domain(rng))
            }
        ),
        5 => {
            let ip = std::net::Ipv4Addr::from(rng.next_u32());
            if rng.below(2) == 0 {
                format!("ip4:{ip}")
            } else {
                format!("ip4:{ip}/{}", rng.below(33))
            }
        }
        6 => {
            let ip = std::net::Ipv6Addr::from(u128::from(rng.next()) << 64);
            if rng.below(2) == 0 {
                format!("ip6:{ip}")
            } else {
                format!("ip6:{ip}/{}", rng.below(129))
            }
        }
        7 => format!("exists:{}", domain(rng)),
        8 => {
            return format!(
                "{}={}",
                pick(rng, &["ra", "rp", "rr", "moo.cow-x_y"]),
                pick(rng, &["postmaster", "100", "%{l}", ""])
            );
        }
        9 => return format!("redirect={}", domain(rng)),
        _ => return format!("exp={}", domain(rng)),
    };
    format!("{qualifier}{body}")
}

#[test]
fn generated_records_print_canonically_and_parse_back() {
    let mut rng = Rng(0x5bf0_0000_0000_0007);
    let mut parsed = 0;
    for round in 0..5000 {
        let mut text = pick(&mut rng, &["v=spf1", "V=SPF1", "v=Spf1"]).to_owned();
        let mut has_redirect = false;
        let mut has_exp = false;
        for _ in 0..rng.below(12) {
            let t = term(&mut rng);
            // redirect and exp may appear once each.
            if (t.starts_with("redirect=") && std::mem::replace(&mut has_redirect, true))
                || (t.starts_with("exp=") && std::mem::replace(&mut has_exp, true))
            {
                continue;
            }
            text.push_str(pick(&mut rng, &[" ", "  ", " "]));
            text.push_str(&t);
        }
        let record =
            Record::parse(&text).unwrap_or_else(|e| panic!("round {round}: {text:?}: {e}"));
        for term in &record.terms {
            // Every term, directive or modifier: its span holds its text (names may differ in
            // case from the canonical form, nothing else may).
            let written = &text[term.span.clone()];
            assert_eq!(
                written.to_ascii_lowercase(),
                term.kind.to_string().to_ascii_lowercase(),
                "round {round}"
            );
        }
        let printed = record.to_string();
        let again =
            Record::parse(&printed).unwrap_or_else(|e| panic!("round {round}: {printed:?}: {e}"));
        assert_eq!(again.to_string(), printed, "round {round}");
        assert_eq!(
            again.terms.iter().map(|t| &t.kind).collect::<Vec<_>>(),
            record.terms.iter().map(|t| &t.kind).collect::<Vec<_>>(),
            "round {round}"
        );
        parsed += 1;
    }
    assert_eq!(parsed, 5000);
}
