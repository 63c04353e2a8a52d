//! How often and how patiently a client tries a call again.

use std::time::{Duration, SystemTime};

use crate::Response;

/// How a client retries failed calls. See [`Client`](crate::Client) for which failures
/// are retried.
///
/// The wait before retry `n` (1, 2, ...) is drawn uniformly from zero to
/// `min(max_delay, base_delay × 2^(n-1))` ("full jitter", so that many clients failing at
/// once do not come back at once). When the answer carries `Retry-After` (seconds or an
/// HTTP date), that wait is used instead; one longer than `max_delay` is not waited for:
/// the call fails with the answer.
///
/// ```
/// use std::time::Duration;
/// use genauth_runtime::RetryPolicy;
/// let patient = RetryPolicy::default().max_retries(4).max_delay(Duration::from_secs(30));
/// assert_eq!(patient.max_retries, 4);
/// assert_eq!(RetryPolicy::none().max_retries, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (2; 0 turns retrying off). A retry after a token
    /// refresh does not count.
    pub max_retries: u32,
    /// The first backoff ceiling (500 ms); it doubles with every retry.
    pub base_delay: Duration,
    /// The longest wait before a retry, backoff or `Retry-After` (10 s).
    pub max_delay: Duration,
}

/// Retries after the first attempt, by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries (a call whose management token was refused is still sent once more
    /// after the token is renewed: that is authentication, not a retry).
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sets how many retries follow the first attempt.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the first backoff ceiling.
    pub fn base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// Sets the longest wait before a retry.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// The ceiling of the backoff wait before retry `retry` (1 for the first retry).
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1u32 << doublings)
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }

    /// A random wait in `0..=backoff_ceiling(retry)`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// The wait a response asks for in `Retry-After`: a number of seconds, or an HTTP date
/// (a date in the past means no wait). `None` when the header is absent or unreadable.
pub fn retry_after(response: &Response, now: SystemTime) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_header(value: &str) -> Response {
        Response {
            status: 429,
            headers: vec![("retry-after".into(), value.into())],
            body: Vec::new(),
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(350));
        assert_eq!(p.backoff_ceiling(200), Duration::from_millis(350));
        let draws: Vec<Duration> = (0..200).map(|_| p.backoff(2)).collect();
        assert!(draws.iter().all(|d| *d <= Duration::from_millis(200)));
        // Jitter: not all the same, and spread over the range.
        assert!(draws.iter().any(|d| *d < Duration::from_millis(50)), "{draws:?}");
        assert!(draws.iter().any(|d| *d > Duration::from_millis(150)), "{draws:?}");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(retry_after(&with_header("3"), now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(&with_header(" 0 "), now), Some(Duration::ZERO));
        assert_eq!(
            retry_after(&with_header("Sun, 06 Nov 1994 08:49:42 GMT"), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(retry_after(&with_header("Sun, 06 Nov 1994 08:40:00 GMT"), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&with_header("soon"), now), None);
        assert_eq!(retry_after(&with_header("-1"), now), None);
        let none = Response {
            status: 429,
            headers: Vec::new(),
            body: Vec::new(),
        };
        assert_eq!(retry_after(&none, now), None);
    }
}
