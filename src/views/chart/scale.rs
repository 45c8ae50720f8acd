//! The value axis: from zero to a round top, in a few round steps.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub top: f64,
    pub step: f64,
}

/// At most this many steps between zero and the top: "at most a few major gridlines".
const MAX_STEPS: f64 = 4.0;

/// The axis for values up to `max`: a step of 1, 2 or 5 times a power of ten.
pub fn axis(max: f64) -> Axis {
    if !max.is_finite() || max <= 0.0 {
        return Axis { top: 1.0, step: 1.0 };
    }
    let raw = max / MAX_STEPS;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    Axis {
        top: (max / step).ceil() * step,
        step,
    }
}

impl Axis {
    pub fn ticks(&self) -> Vec<f64> {
        let n = (self.top / self.step).round() as i64;
        (0..=n).map(|i| i as f64 * self.step).collect()
    }

    /// Where `v` falls, from 0 (zero) to 1 (the top).
    pub fn fraction(&self, v: f64) -> f64 {
        (v / self.top).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tops_and_steps_are_round() {
        assert_eq!(axis(0.0), Axis { top: 1.0, step: 1.0 });
        assert_eq!(axis(3.0), Axis { top: 3.0, step: 1.0 });
        assert_eq!(axis(9.0), Axis { top: 10.0, step: 5.0 });
        assert_eq!(axis(100.0), Axis { top: 100.0, step: 50.0 });
        assert_eq!(axis(173.0), Axis { top: 200.0, step: 50.0 });
        assert_eq!(
            axis(1_234.0),
            Axis {
                top: 1_500.0,
                step: 500.0
            }
        );
        assert!(axis(173.0).ticks().len() <= 5);
        assert_eq!(axis(173.0).ticks(), vec![0.0, 50.0, 100.0, 150.0, 200.0]);
    }
}
