//! The few float operations the core needs that `core` lacks without std (which has them from libm).
//!
//! Each gives exactly the result of its std counterpart for the inputs the crate passes, so native
//! builds (with std) and the package's wasm (without) decide alike; the tests compare them.

/// `value.fract() == 0.0`: whether a finite `value` is a whole number (false for NaN and infinities).
pub fn is_integer(value: f64) -> bool {
    // NOTE: from 2^52 up every finite float is whole; below, the i64 round trip is exact.
    const ALL_WHOLE_FROM: f64 = 4_503_599_627_370_496.0;
    value.is_finite() && (value.abs() >= ALL_WHOLE_FROM || value == (value as i64) as f64)
}

/// `value.ceil() as u64` for a `value` in `0.0..=2^53`.
pub fn ceil_to_u64(value: f64) -> u64 {
    // NOTE: `as` truncates toward zero; for non-negative values below 2^53 that is exact.
    let whole = value as u64;
    if (whole as f64) < value {
        whole + 1
    } else {
        whole
    }
}

/// `base.powi(exponent)` for a non-negative `exponent`: square-and-multiply, the algorithm of
/// compiler-rt's `__powidf2` that `powi` lowers to, so the products round the same way.
pub fn powi(mut base: f64, mut exponent: u32) -> f64 {
    let mut result = 1.0;
    loop {
        if exponent & 1 == 1 {
            result *= base;
        }
        exponent /= 2;
        if exponent == 0 {
            return result;
        }
        base *= base;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std() {
        for value in [
            0.0_f64,
            0.5,
            1.0,
            2.5,
            3.0,
            -3.0,
            1e15 + 0.5,
            9.007e15,
            1e300,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(
                is_integer(value),
                value.is_finite() && value.fract() == 0.0,
                "{value}"
            );
        }
        for value in [0.0_f64, 0.1, 1.0, 1.5, 299.999, 9_007_199_254_740_991.0] {
            assert_eq!(ceil_to_u64(value), value.ceil() as u64, "{value}");
        }
        for base in [1.0_f64, 1.5, 2.0, 3.0, 1.1, 10.0, 1e10] {
            for exponent in [0, 1, 2, 3, 7, 10, 31, 64, 100, 2048] {
                let expected = base.powi(exponent as i32);
                assert_eq!(
                    powi(base, exponent).to_bits(),
                    expected.to_bits(),
                    "{base}^{exponent}"
                );
            }
        }
    }
}
