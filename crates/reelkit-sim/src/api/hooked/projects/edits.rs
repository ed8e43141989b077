//! Hooked projects that edit one media item: add-captions, remove-background and
//! extend-video: their field rules, as a [`Spec`].

use super::super::super::validate::{Issues, Num};
use super::{caption, Spec};
use serde_json::{Map, Value};

/// `kind` is `add-captions`, `remove-background` or `extend-video` (30 s unless extended).
pub(super) fn edit(z: &mut Issues, b: &Map<String, Value>, kind: &str) -> Spec {
    let mut spec = Spec {
        kind: match kind {
            "add-captions" => "add_captions",
            "remove-background" => "remove_background",
            _ => "extend_video",
        },
        ..Spec::default()
    };
    z.string(b, "", "media", true, 1, 100);
    spec.name = z.string(b, "", "name", false, 0, 100);
    spec.seconds = Some(30.0);
    match kind {
        "add-captions" => {
            spec.music = z.string(b, "", "musicId", false, 0, 30);
            spec.caption = caption(z, b, false, "classic");
            z.exact_len(b, "", "language", false, 2);
            z.boolean(b, "", "addStickers", false);
            spec.message = "Add captions successfully created";
        }
        "remove-background" => spec.message = "Remove Background successfully created",
        _ => {
            spec.prompt = z.string(b, "", "prompt", true, 1, 2000);
            let d = z.number(b, "", "targetDuration", false, Num::range(4.0, 60.0).int());
            if d.is_some_and(|d| d as u64 % 4 != 0) {
                z.issue("targetDuration", "Target duration must be a multiple of 4");
            }
            z.boolean(b, "", "generateAudio", false);
            spec.seconds = Some(d.unwrap_or(4.0));
            spec.message = "Extend video successfully created";
        }
    }
    spec
}
