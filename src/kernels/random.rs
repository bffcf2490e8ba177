//! A small seeded pseudo-random generator for the Monte Carlo analyses (uncertainty, Sobol
//! sensitivity): xoshiro256** (Blackman and Vigna, 2018), its state filled by SplitMix64.
//!
//! Reproducibility across thread counts comes from *streams*, not from one shared generator:
//! [`Xoshiro256::stream`] gives the generator of one draw (one Monte Carlo draw, one row of
//! Saltelli's matrices, one bootstrap resample) from the run's seed and the draw's index, so
//! whichever thread computes draw `j`, it sees the same numbers. The stream's state is
//! SplitMix64 of a key mixed from the seed and the index (`key = splitmix(seed) ⊕ index ·
//! 0xD1B54A32D192ED03`, then four SplitMix64 outputs from `key`), so neighbouring seeds and
//! indices give unrelated states. Not for cryptography.

/// SplitMix64 (Steele, Lea and Flood, 2014): the generator that seeds [`Xoshiro256`].
#[derive(Debug, Clone)]
pub struct SplitMix64(
    /// The state: the seed, then advanced by each call.
    pub u64,
);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// xoshiro256**: 256 bits of state, period 2^256 − 1.
///
/// # Examples
/// ```
/// use citycheck::kernels::random::Xoshiro256;
/// let mut a = Xoshiro256::stream(7, 3);
/// let mut b = Xoshiro256::stream(7, 3);
/// assert_eq!(a.next_u64(), b.next_u64()); // same seed and stream, same numbers
/// let u = a.uniform();
/// assert!((0.0..1.0).contains(&u));
/// assert!(a.below(10) < 10);
/// ```
#[derive(Debug, Clone)]
pub struct Xoshiro256 {
    s: [u64; 4],
}

impl Xoshiro256 {
    /// The generator of stream `index` of the run seeded `seed` (see the module's doc).
    pub fn stream(seed: u64, index: u64) -> Xoshiro256 {
        let key = SplitMix64(seed).next_u64() ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut mix = SplitMix64(key);
        let mut s = [mix.next_u64(), mix.next_u64(), mix.next_u64(), mix.next_u64()];
        if s == [0; 4] {
            s[0] = 1; // the one state xoshiro cannot leave; SplitMix64 practically never gives it
        }
        Xoshiro256 { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1): the top 53 bits as a multiple of 2^−53.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An integer uniform on `0..n` (`n` ≥ 1) by Lemire's multiply-shift, with rejection so
    /// that every value is exactly equally likely. `below(0)` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // SplitMix64 seeded 0: the first outputs of the reference implementation.
        let mut g = SplitMix64(0);
        assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(g.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn streams_differ_and_uniforms_have_the_right_mean() {
        let mut a = Xoshiro256::stream(1, 0);
        let mut b = Xoshiro256::stream(1, 1);
        assert_ne!(a.next_u64(), b.next_u64());
        let n = 100_000;
        let mean = (0..n).map(|_| a.uniform()).sum::<f64>() / n as f64;
        // sd of the mean of n uniforms: 1 / sqrt(12 n) ≈ 0.0009; 5 sd.
        assert!((mean - 0.5).abs() < 0.0046, "{mean}");
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[a.below(3) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| (9_500..10_500).contains(&c)), "{counts:?}");
    }
}
