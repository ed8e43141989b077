//! Hooked projects led by an avatar: talking-avatar (and the older ugc-video), ugc-ads,
//! hook-demo and product-ads: their field rules, as a [`Spec`].

use super::super::super::validate::{Issues, Num};
use super::{audio, caption, speaker, Spec, ASPECTS, LIPSYNC};
use serde_json::{Map, Value};

/// `/project/create/talking-avatar`, or its `older` form `/project/create/ugc-video`
/// (caption, aspect ratio and language required).
pub(super) fn talking(z: &mut Issues, b: &Map<String, Value>, older: bool) -> Spec {
    let mut spec = Spec {
        kind: "ugc_video",
        ..Spec::default()
    };
    speaker(z, b, &mut spec);
    spec.name = z.string(b, "", "name", false, 0, 100);
    z.enumv(b, "", "lipsyncModel", false, LIPSYNC);
    spec.music = z.string(b, "", "musicId", false, 0, 30);
    spec.caption = caption(z, b, older, "tiktok");
    audio(z, b);
    spec.aspect = z.enumv(b, "", "aspectRatio", older, ASPECTS);
    z.exact_len(b, "", "language", older, 2);
    spec.message = if older {
        "UGC video successfully created"
    } else {
        "Talking avatar successfully created"
    };
    spec
}

pub(super) fn ugc_ads(z: &mut Issues, b: &Map<String, Value>) -> Spec {
    let mut spec = Spec {
        kind: "ugc_ads",
        ..Spec::default()
    };
    speaker(z, b, &mut spec);
    spec.media = z.id_list(b, "", "media", true, 50).len();
    spec.name = z.string(b, "", "name", false, 0, 100);
    z.enumv(b, "", "lipsyncModel", false, LIPSYNC);
    if let Some(a) = z.object(b, "", "adSettings", false) {
        z.string(a, "adSettings", "bRollType", false, 1, 100);
        z.boolean(a, "adSettings", "removeAvatarBackground", false);
    }
    spec.music = z.string(b, "", "musicId", false, 0, 30);
    spec.caption = caption(z, b, false, "tiktok");
    spec.aspect = z.enumv(b, "", "aspectRatio", false, ASPECTS);
    z.exact_len(b, "", "language", false, 2);
    spec.message = "UGC ad successfully created";
    spec
}

/// A hook over media: 8 s plus 4 s per media item, complete at once.
pub(super) fn hook_demo(z: &mut Issues, b: &Map<String, Value>) -> Spec {
    let mut spec = Spec {
        kind: "hook_demo",
        ..Spec::default()
    };
    spec.avatar = z.string(b, "", "avatarId", true, 1, 100);
    spec.text = z.string(b, "", "text", true, 1, 5000);
    spec.name = z.string(b, "", "name", false, 0, 100);
    spec.media = z.id_list(b, "", "media", false, 50).len();
    spec.music = z.string(b, "", "musicId", false, 0, 30);
    if let Some(t) = z.object(b, "", "textSettings", false) {
        for k in ["preset", "alignment", "textColor", "backgroundColor"] {
            z.string(t, "textSettings", k, false, 0, 100);
        }
        z.boolean(t, "textSettings", "disabled", false);
    }
    spec.aspect = z.enumv(b, "", "aspectRatio", false, ASPECTS);
    spec.seconds = Some(8.0 + 4.0 * spec.media as f64);
    spec.instant = true;
    spec.message = "Hook demo successfully created";
    spec
}

pub(super) fn product_ads(z: &mut Issues, b: &Map<String, Value>) -> Spec {
    let mut spec = Spec {
        kind: "product_ads",
        ..Spec::default()
    };
    spec.script = z.string(b, "", "script", true, 1, 10_000);
    if let Some(p) = z.object(b, "", "productAdSettings", true) {
        product_ad_settings(z, p);
    }
    spec.avatar = z.string(b, "", "avatarId", false, 1, 100);
    spec.voice = z.string(b, "", "voiceId", false, 1, 100);
    spec.name = z.string(b, "", "name", false, 0, 100);
    spec.music = z.string(b, "", "musicId", false, 0, 30);
    spec.caption = caption(z, b, false, "tiktok");
    spec.aspect = z.enumv(b, "", "aspectRatio", false, ASPECTS);
    z.exact_len(b, "", "language", false, 2);
    spec.message = "Product ad successfully created";
    spec
}

/// `productAdSettings`: an HTTPS `websiteUrl` and the timing of the page scroll.
fn product_ad_settings(z: &mut Issues, p: &Map<String, Value>) {
    const AT: &str = "productAdSettings";
    if let Some(u) = z.string(p, AT, "websiteUrl", true, 1, 500) {
        match url::Url::parse(&u) {
            Ok(x) if x.scheme() == "https" => {}
            Ok(_) => z.issue("productAdSettings.websiteUrl", "Website URL must use HTTPS"),
            Err(_) => z.issue("productAdSettings.websiteUrl", "Invalid url"),
        }
    }
    z.number(p, AT, "avatarIntroSeconds", false, Num::range(1.0, 30.0));
    z.number(p, AT, "showWebsiteAfter", false, Num::range(1.0, 30.0));
    z.number(p, AT, "scrollInterval", false, Num::range(0.0, 60.0));
}
