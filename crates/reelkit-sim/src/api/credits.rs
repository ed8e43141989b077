//! Credit formulas of both providers (hoox.md §4, §3.1–3.4, §3.13–3.18; hooked.md §3.6)
//! and the simulator's credit ledger (debits up front, refunds that fall due later).
//!
//! Choices where the notes are silent or disagree (newest source wins):
//! - export avatar rates use the newest column of hoox.md §3.4, the video duration as the
//!   visible time; Veo/Ora models bill whole 8 s segments, `veo-3-lite` 6 s segments;
//!   `omni-flash` and `seedance-2*` ("varies"/NOT FOUND) bill 1 credit/s;
//! - export high-res surcharge (+2.5 per 30 s segment) applies to `custom` exports with
//!   width > 1920 or height > 1080, as the notes state it (so custom 1080x1920 pays it too);
//! - image animation is +4 (standard) / +7 (pro) per animated image (non-video `media_urls`,
//!   capped by `animate_image_max`);
//! - avatar create/edit: 1K and 2K cost 2, 4K costs 4, upscale +1.5;
//! - Hooked: every video costs [`HOOKED_VIDEO_CREDITS`] = 5 (the documented `usedCredits`
//!   example), debited when the project is created and refunded if it fails.

use std::time::Instant;

/// Credits of one Hooked video, whatever its type.
pub const HOOKED_VIDEO_CREDITS: f64 = 5.0;

/// Credit amounts are rounded to 4 decimals, on both sides (the SDK's `_credits.py`
/// too): no source documents the server's rounding; 4 decimals remove float noise
/// (3 x 8 x 2.3 reads 55.2) without hiding the documented 0.1-credit steps.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn r2(x: f64) -> f64 {
    round(x)
}

/// `/script/generate`: 0.1 per started minute + 0.1 for web search + 0.1 per URL.
pub fn script_cost(duration: f64, web_search: bool, urls: usize) -> f64 {
    let mut c = (duration / 60.0).ceil() * 0.1;
    if web_search {
        c += 0.1;
    }
    c += 0.1 * urls as f64;
    r2(c)
}

/// Seconds of speech of a script (936 characters per minute).
pub fn script_seconds(chars: usize) -> f64 {
    chars as f64 / 936.0 * 60.0
}

/// `/generation/start` base: `max(0.5, ceil((ceil(d/10)*10-10)/30)*0.5) * 10`.
pub fn generation_cost(duration: f64) -> f64 {
    let r = (duration / 10.0).ceil() * 10.0;
    let units = (((r - 10.0) / 30.0).ceil() * 0.5).max(0.5);
    r2(units * 10.0)
}

/// Image animation: +4 per image (standard) or +7 (pro).
pub fn animation_cost(images: usize, pro: bool) -> f64 {
    images as f64 * if pro { 7.0 } else { 4.0 }
}

/// Thirty-second export segments: `max(1, ceil((ceil(d/10)*10-10)/30))`.
fn export_segments(duration: f64) -> f64 {
    let r = (duration / 10.0).ceil() * 10.0;
    ((r - 10.0) / 30.0).ceil().max(1.0)
}

/// Avatar rendering cost of one export (newest rates, visible time = `duration`).
/// `resolution` "720p" selects veo-3-lite's cheaper rate (hoox.md §3.4: 0.5/s).
pub fn avatar_model_cost(model: &str, duration: f64, resolution: Option<&str>) -> f64 {
    if duration <= 0.0 {
        return 0.0;
    }
    let seg = |len: f64, rate: f64| (duration / len).ceil() * len * rate;
    let lite_720p = resolution.is_some_and(|r| r.eq_ignore_ascii_case("720p"));
    let c = match model {
        "standard" => 0.0,
        "premium" => 0.8 * duration,
        "ultra" => 2.3 * duration,
        "veo-3-fast" => seg(8.0, 2.3),
        "veo-3" => seg(8.0, 5.0),
        "veo-3-lite" if lite_720p => seg(6.0, 0.5),
        "veo-3-lite" => seg(6.0, 2.3),
        "ora-lite" => seg(8.0, 0.5),
        "ora-standard" => seg(8.0, 1.0),
        "ora-pro" => seg(8.0, 2.0),
        _ => duration, // omni-flash, seedance-2*: "varies"
    };
    r2(c)
}

/// `/export/start`: API videos have base 0; +2.5 per 30 s segment when high-res.
/// `resolution`: the rendering resolution when known (`/export/start` takes none, so
/// the simulator's exports render at 1080p and pass `None`).
pub fn export_cost(
    duration: f64,
    high_res: bool,
    avatar_model: Option<&str>,
    resolution: Option<&str>,
) -> f64 {
    let mut c = 0.0;
    if high_res {
        c += 2.5 * export_segments(duration);
    }
    if let Some(m) = avatar_model {
        c += avatar_model_cost(m, duration, resolution);
    }
    r2(c)
}

/// `/avatar/create` (prompt mode) and `/avatar/edit`.
pub fn avatar_cost(resolution: &str, upscale: bool) -> f64 {
    let base = if resolution.eq_ignore_ascii_case("4K") {
        4.0
    } else {
        2.0
    };
    r2(base + if upscale { 1.5 } else { 0.0 })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Hoox,
    Hooked,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Hoox => "hoox",
            Provider::Hooked => "hooked",
        }
    }
}

/// Debits per provider, plus refunds that become effective at a later instant
/// (a failing job is refunded when it reaches its terminal state).
#[derive(Debug)]
pub struct Ledger {
    starting: f64,
    spent: [f64; 2],
    pending_refunds: Vec<(Instant, Provider, f64)>,
}

impl Ledger {
    pub fn new(starting: f64) -> Self {
        Ledger {
            starting,
            spent: [0.0; 2],
            pending_refunds: Vec::new(),
        }
    }

    fn idx(p: Provider) -> usize {
        match p {
            Provider::Hoox => 0,
            Provider::Hooked => 1,
        }
    }

    fn settle(&mut self, now: Instant) {
        if self.pending_refunds.is_empty() {
            return;
        }
        let mut i = 0;
        while i < self.pending_refunds.len() {
            let (at, p, amount) = self.pending_refunds[i];
            if at <= now {
                self.spent[Self::idx(p)] -= amount;
                self.pending_refunds.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }

    pub fn used(&mut self, p: Provider, now: Instant) -> f64 {
        self.settle(now);
        r2(self.spent[Self::idx(p)])
    }

    pub fn available(&mut self, p: Provider, now: Instant) -> f64 {
        r2(self.starting - self.used(p, now))
    }

    /// Debits `amount` if the balance covers it; else `Err(available)`.
    pub fn debit(&mut self, p: Provider, amount: f64, now: Instant) -> Result<(), f64> {
        let avail = self.available(p, now);
        if amount > avail + 1e-9 {
            return Err(avail);
        }
        self.spent[Self::idx(p)] += amount;
        Ok(())
    }

    pub fn refund_at(&mut self, p: Provider, amount: f64, at: Instant) {
        if amount > 0.0 {
            self.pending_refunds.push((at, p, amount));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        assert_eq!(script_cost(60.0, false, 0), 0.1);
        assert_eq!(script_cost(60.0, true, 1), 0.3);
        assert_eq!(script_cost(90.0, true, 0), 0.3);
        assert_eq!(generation_cost(30.0), 5.0);
        assert_eq!(generation_cost(40.0), 5.0);
        assert_eq!(generation_cost(60.0), 10.0);
        assert_eq!(generation_cost(90.0), 15.0);
        assert_eq!(generation_cost(10.0), 5.0);
        assert_eq!(avatar_model_cost("veo-3-fast", 24.0, None), 55.2);
        assert_eq!(avatar_model_cost("premium", 40.0, None), 32.0);
        assert_eq!(export_cost(60.0, true, None, None), 5.0);
        assert_eq!(avatar_cost("2K", false), 2.0);
        assert_eq!(avatar_cost("4K", true), 5.5);
    }

    #[test]
    fn ledger_refunds_fall_due() {
        let now = Instant::now();
        let mut l = Ledger::new(10.0);
        assert!(l.debit(Provider::Hoox, 6.0, now).is_ok());
        assert_eq!(l.debit(Provider::Hoox, 6.0, now), Err(4.0));
        assert_eq!(l.available(Provider::Hooked, now), 10.0);
        l.refund_at(Provider::Hoox, 6.0, now + std::time::Duration::from_secs(5));
        assert_eq!(l.used(Provider::Hoox, now), 6.0);
        assert_eq!(
            l.used(Provider::Hoox, now + std::time::Duration::from_secs(6)),
            0.0
        );
    }
}
