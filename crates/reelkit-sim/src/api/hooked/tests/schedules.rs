//! Tests of Hooked scheduled posts.

use crate::api::testkit::*;
use crate::api::util;
use crate::types::SimResponse;
use serde_json::{json, Value};

#[test]
fn hooked_schedules() {
    // Videos made here must still be rendering at the next request, however slow.
    let s = sim_with(|c| c.job_seconds = 600.0);
    let future = util::iso(util::unix_now() + 86_400.0);
    let past = "2024-03-20T15:00:00.000Z";
    let create = |b: Value| hk(&s, "POST", "/schedule/create", Some(b));
    let r = create(
        json!({"videoId": "vid_abc123", "integrationId": "int_yt_abc123", "scheduledDateTime": future,
                          "platformData": {"title": "3-step morning routine", "tags": ["morning"], "privacyStatus": "public", "madeForKids": false}}),
    );
    assert_eq!(r.status, 200);
    let v = js(&r);
    assert_eq!(v["message"], "Video scheduled successfully");
    assert_eq!(v["data"]["status"], "pending");
    assert_eq!(v["data"]["platform"], "youtube");
    assert_eq!(v["data"]["videoId"], "vid_abc123");
    let sid = v["data"]["scheduleId"].as_str().unwrap().to_string();
    assert!(sid.starts_with("post_"));
    let err = |r: SimResponse| (r.status, message(&r));
    assert_eq!(
        err(create(
            json!({"videoId": "vid_abc123", "integrationId": "int_yt_abc123", "scheduledDateTime": past})
        )),
        (400, "Scheduled time must be in the future".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_nope", "integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (404, "Video not found".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_other_team", "integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (403, "Video does not belong to your team".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_abc123", "integrationId": "int_nope", "scheduledDateTime": future})
        )),
        (404, "Integration not found".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_abc123", "integrationId": "int_yt_abc123", "scheduledDateTime": "tomorrow"})
        )),
        (400, "scheduledDateTime: Invalid datetime".into())
    );
    assert_eq!(
        err(create(
            json!({"integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (400, "videoId: Required".into())
    );
    let r = hk(
        &s,
        "POST",
        "/project/create/remove-background",
        Some(json!({"media": "m"})),
    );
    let started = js(&r)["data"]["videoId"].as_str().unwrap().to_string();
    assert_eq!(
        err(create(
            json!({"videoId": started, "integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (400, "Video must be completed".into())
    );
    // List / get.
    let v = js(&hk(&s, "GET", "/schedule/list", None));
    assert_eq!(v["message"], "Scheduled posts fetched successfully");
    assert_eq!(v["data"]["total"], 2);
    let v = js(&hk(
        &s,
        "GET",
        "/schedule/list?status=pending&limit=1",
        None,
    ));
    assert_eq!(v["data"]["total"], 1);
    let post = &v["data"]["scheduledPosts"][0];
    assert_eq!(post["id"], sid.as_str());
    assert_eq!(post["integration"]["account"]["name"], "My YouTube Channel");
    assert_eq!(post["video"]["id"], "vid_abc123");
    assert!(post["video"]["url"].as_str().unwrap().starts_with(BASE));
    assert_eq!(
        js(&hk(&s, "GET", "/schedule/list?status=published", None))["data"]["total"],
        1
    );
    assert_eq!(
        js(&hk(&s, "GET", "/schedule/list?platform=tiktok", None))["data"]["total"],
        0
    );
    assert_eq!(
        js(&hk(&s, "GET", &format!("/schedule/{sid}"), None))["data"]["status"],
        "pending"
    );
    assert_eq!(
        err(hk(&s, "GET", "/schedule/post_other_team", None)),
        (403, "Schedule does not belong to your team".into())
    );
    // Update.
    let later = util::iso(util::unix_now() + 2.0 * 86_400.0);
    let r = hk(
        &s,
        "PATCH",
        &format!("/schedule/{sid}"),
        Some(json!({"scheduledDateTime": later, "platformData": {"description": "New"}})),
    );
    let v = js(&r);
    assert_eq!(v["message"], "Schedule updated successfully");
    assert_eq!(v["data"]["scheduledDateTime"], later.as_str());
    assert_eq!(v["data"]["platformData"]["title"], "3-step morning routine");
    assert_eq!(v["data"]["platformData"]["description"], "New");
    assert_eq!(
        err(hk(
            &s,
            "PATCH",
            &format!("/schedule/{sid}"),
            Some(json!({"scheduledDateTime": past}))
        )),
        (400, "Scheduled time must be in the future".into())
    );
    assert_eq!(
        hk(
            &s,
            "PATCH",
            "/schedule/post_published_seed",
            Some(json!({"platformData": {"title": "x"}}))
        )
        .status,
        400
    );
    // Delete.
    assert_eq!(
        err(hk(&s, "DELETE", "/schedule/post_published_seed", None)),
        (400, "Cannot delete a published post".into())
    );
    assert_eq!(
        err(hk(&s, "DELETE", "/schedule/post_other_team", None)),
        (403, "Schedule does not belong to your team".into())
    );
    let v = js(&hk(&s, "DELETE", &format!("/schedule/{sid}"), None));
    assert_eq!(
        v,
        json!({"success": true, "message": "Schedule cancelled successfully", "data": {"id": sid, "deleted": true}})
    );
    assert_eq!(
        err(hk(&s, "GET", &format!("/schedule/{sid}"), None)),
        (404, "Schedule not found".into())
    );
    assert_eq!(hk(&s, "DELETE", "/schedule/post_nope", None).status, 404);
}
