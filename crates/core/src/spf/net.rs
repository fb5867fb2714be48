//! Network arithmetic shared by evaluation, lints and analysis: an address and prefix as the
//! range of addresses it covers.

use core::net::IpAddr;

/// The address as a number (IPv4 in the low 32 bits), and whether it is IPv6.
fn value(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(a) => (false, u128::from(u32::from(a))),
        IpAddr::V6(a) => (true, u128::from(a)),
    }
}

/// The first and last address a network covers, and whether it is IPv6. A prefix longer than
/// the address counts as the whole address.
pub fn range(ip: IpAddr, prefix: u8) -> (bool, u128, u128) {
    let (v6, value) = value(ip);
    let bits = if v6 { 128 } else { 32 };
    let host_bits = bits - u32::from(prefix).min(bits);
    let host_mask = if host_bits == 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    let start = value & !host_mask;
    (v6, start, start | host_mask)
}

/// Whether `ip` is in the network `net/prefix` (never across address families).
pub fn contains(net: IpAddr, prefix: u8, ip: IpAddr) -> bool {
    let (net_v6, start, end) = range(net, prefix);
    let (v6, value) = value(ip);
    v6 == net_v6 && start <= value && value <= end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ranges_cover_their_prefix() {
        assert_eq!(
            range(ip("192.0.2.77"), 24),
            (false, 0xc000_0200, 0xc000_02ff)
        );
        assert_eq!(range(ip("192.0.2.77"), 32).1, 0xc000_024d);
        assert_eq!(range(ip("10.1.2.3"), 0), (false, 0, 0xffff_ffff));
        assert_eq!(range(ip("2001:db8::1"), 0), (true, 0, u128::MAX));
        assert_eq!(
            range(ip("2001:db8::1"), 200).1,
            range(ip("2001:db8::1"), 128).1
        );
        assert!(contains(ip("192.0.2.0"), 24, ip("192.0.2.77")));
        assert!(!contains(ip("192.0.2.0"), 24, ip("192.0.3.1")));
        assert!(contains(ip("2001:db8::"), 32, ip("2001:db8:ffff::1")));
        assert!(
            !contains(ip("::"), 0, ip("192.0.2.1")),
            "families never mix"
        );
    }
}
