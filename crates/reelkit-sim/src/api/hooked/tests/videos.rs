//! Tests of Hooked `/video/list`: paging and filters.

use crate::api::testkit::*;
use serde_json::json;

#[test]
fn hooked_video_list_pagination_and_filters() {
    let s = sim_with(|c| c.job_seconds = 60.0);
    let mut ids = vec![];
    for i in 0..7 {
        let r = hk(
            &s,
            "POST",
            "/project/create/remove-background",
            Some(json!({"media": format!("m{i}")})),
        );
        ids.push(js(&r)["data"]["videoId"].as_str().unwrap().to_string());
    }
    let mut seen = vec![];
    for offset in [0, 3, 6] {
        let v = js(&hk(
            &s,
            "GET",
            &format!("/video/list?limit=3&offset={offset}"),
            None,
        ));
        let d = &v["data"];
        assert_eq!(d["total"], 8);
        assert_eq!(d["limit"], 3);
        assert_eq!(d["offset"], offset);
        for item in d["videos"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
            for k in [
                "id",
                "name",
                "status",
                "url",
                "durationInFrames",
                "projectId",
                "thumbnail",
                "size",
                "progress",
                "message",
                "createdAt",
                "updatedAt",
            ] {
                assert!(item.get(k).is_some(), "{k}");
            }
        }
    }
    assert_eq!(seen.len(), 8);
    assert_eq!(seen[0], ids[6]); // newest first
    assert_eq!(seen[7], "vid_abc123");
    let v = js(&hk(&s, "GET", "/video/list", None));
    assert_eq!(v["data"]["limit"], 50);
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 8);
    let v = js(&hk(&s, "GET", "/video/list?status=processing", None));
    assert_eq!(v["data"]["total"], 7);
    assert!(v["data"]["videos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["status"] == "STARTED"));
    let v = js(&hk(&s, "GET", "/video/list?status=completed", None));
    assert_eq!(v["data"]["total"], 1);
    assert_eq!(
        js(&hk(&s, "GET", "/video/list?status=failed", None))["data"]["total"],
        0
    );
    assert_eq!(
        js(&hk(&s, "GET", "/video/list?status=draft", None))["data"]["total"],
        0
    );
    assert_eq!(
        js(&hk(&s, "GET", "/video/list?type=class", None))["data"]["total"],
        1
    );
    assert_eq!(
        js(&hk(
            &s,
            "GET",
            "/video/list?type=remove_background&limit=100",
            None
        ))["data"]["total"],
        7
    );
    let r = hk(&s, "GET", "/video/list?limit=101", None);
    assert_eq!(
        (r.status, message(&r)),
        (
            400,
            "limit: Number must be less than or equal to 100".into()
        )
    );
    let r = hk(&s, "GET", "/video/list?offset=-1", None);
    assert_eq!(r.status, 400);
    let r = hk(&s, "GET", "/video/list?status=done", None);
    assert_eq!(r.status, 400);
    let v = js(&hk(&s, "GET", "/video/list?offset=100", None));
    assert_eq!(v["data"]["videos"], json!([]));
}
