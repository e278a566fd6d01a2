//! The seeded pseudo-random numbers behind jitter: SplitMix64, with random access by index.
//!
//! Jitter must be reproducible (tests and the simulator replay decisions) and must not depend on
//! the order in which decisions are asked for, so a value is addressed by `(seed, index)` instead
//! of drawn from a shared stream: SplitMix64's n-th output is a pure function of its seed and n.
//! It is not cryptographic and need not be; it only has to spread clients apart.

/// SplitMix64's increment: the odd integer closest to 2^64 / φ.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// A SplitMix64 generator (Steele, Lea and Flood, 2014).
///
/// ```
/// use http_verdict::random::SplitMix64;
/// let mut random = SplitMix64::new(7);
/// let first = random.next_u64();
/// assert_eq!(SplitMix64::nth(7, 0), first);
/// assert!((0.0..1.0).contains(&random.next_unit()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose first output is `SplitMix64::nth(seed, 0)`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        // NOTE: SplitMix64 is arithmetic modulo 2^64 by definition, so wrapping is the algorithm.
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// The next number uniformly in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        to_unit(self.next_u64())
    }

    /// The `index`-th output (0-based) of a generator seeded with `seed`, without stepping through.
    pub fn nth(seed: u64, index: u64) -> u64 {
        // NOTE: wrapping on purpose, as in `next_u64`: the state after n steps is seed + n·γ mod 2^64.
        mix(seed.wrapping_add(index.wrapping_add(1).wrapping_mul(GAMMA)))
    }

    /// The `index`-th output as a number uniformly in `[0, 1)`.
    pub fn nth_unit(seed: u64, index: u64) -> f64 {
        to_unit(Self::nth(seed, index))
    }
}

/// SplitMix64's output function (a variant of MurmurHash3's finaliser): a bijection on u64.
pub fn mix(mut z: u64) -> u64 {
    // NOTE: the multiplications are modulo 2^64 by design.
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The top 53 bits as a float in `[0, 1)`: every value exactly representable, never 1.0.
fn to_unit(bits: u64) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    (bits >> 11) as f64 * SCALE
}
