//! A small, self-contained pseudo-random generator (SplitMix64): fast, good enough for test
//! data, and the same sequence for the same seed on every machine. Not for anything secret.

/// SplitMix64 (Steele, Lea and Flood 2014), as used to seed xoshiro.
#[derive(Clone, Debug)]
pub struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes one 64-bit value into another well spread one (the SplitMix64 finaliser).
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(mix(seed ^ GOLDEN))
    }

    /// An independent stream for item `index` of kind `stream`: what one person gets does not
    /// depend on how many numbers the people before drew.
    pub fn for_item(seed: u64, stream: u64, index: u64) -> Rng {
        Rng::new(mix(seed ^ mix(stream.wrapping_mul(GOLDEN) ^ mix(index))))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by the multiply-shift method.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        low + self.below((high - low + 1) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// One of `items`, each as likely as its weight.
    pub fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u64 = items.iter().map(|(w, _)| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (weight, item) in items {
            let w = u64::from(*weight);
            if roll < w {
                return *item;
            }
            roll -= w;
        }
        items[items.len() - 1].1
    }

    /// A number in one of the `(low, high)` ranges, each range as likely as its weight.
    pub fn range_of(&mut self, ranges: &[(u32, (i64, i64))]) -> i64 {
        let (low, high) = self.weighted(ranges);
        self.range(low, high)
    }

    /// A version-4 UUID in the text form the application stores, from this stream.
    pub fn uuid(&mut self) -> String {
        let bytes = (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())).to_le_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::new(42), Rng::new(42));
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(first[0], Rng::new(43).next_u64());
        assert_eq!(Rng::for_item(1, 2, 3).uuid(), Rng::for_item(1, 2, 3).uuid());
        assert_ne!(Rng::for_item(1, 2, 3).uuid(), Rng::for_item(1, 2, 4).uuid());
    }

    #[test]
    fn draws_stay_in_bounds_and_cover_them() {
        let mut rng = Rng::new(7);
        let mut seen = [false; 6];
        for _ in 0..1000 {
            let n = rng.range(10, 15);
            assert!((10..=15).contains(&n));
            seen[(n - 10) as usize] = true;
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.weighted(&[(0, 'a'), (5, 'b'), (0, 'c')]), 'b');
    }

    #[test]
    fn uuids_are_version_4() {
        let id = Rng::new(1).uuid();
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(id.len(), 36);
    }
}
