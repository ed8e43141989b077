//! Tests of the Hooked catalogue lists and of social search.

use crate::api::testkit::*;
use serde_json::json;

#[test]
fn hooked_catalogue_lists() {
    let s = sim();
    let v = js(&hk(&s, "GET", "/avatar/list", None));
    let all = v["data"]["avatars"].as_array().unwrap().len();
    let lib = js(&hk(&s, "GET", "/avatar/list?type=library", None))["data"]["avatars"]
        .as_array()
        .unwrap()
        .len();
    let custom = js(&hk(&s, "GET", "/avatar/list?type=custom", None))["data"]["avatars"].clone();
    assert_eq!(lib + custom.as_array().unwrap().len(), all);
    assert!(custom
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["isCustom"] == true));
    let sophia = &v["data"]["avatars"][0];
    for k in [
        "id",
        "name",
        "type",
        "gender",
        "age",
        "thumbnail",
        "isCustom",
        "isPro",
        "isHD",
    ] {
        assert!(sophia.get(k).is_some(), "{k}");
    }
    assert_eq!(hk(&s, "GET", "/avatar/list?type=robots", None).status, 400);
    assert!(
        js(&hk(&s, "GET", "/voice/list", None))["data"]["voices"][0]["id"]
            == "tzX5paJ07p5hyWFcU3uG"
    );
    assert_eq!(
        js(&hk(&s, "GET", "/music/list", None))["data"]["music"][0]["id"],
        "1"
    );
    let t = js(&hk(&s, "GET", "/template/list", None));
    assert_eq!(t["data"]["templates"][0]["isTemplate"], true);
    assert_eq!(
        js(&hk(&s, "GET", "/template/tpl_123", None))["data"]["id"],
        "tpl_123"
    );
    assert_eq!(hk(&s, "GET", "/template/tpl_nope", None).status, 404);
    let n = js(&hk(&s, "GET", "/niche/list", None));
    assert!(n["data"]["niches"].as_array().unwrap().len() >= 5);
    let v = js(&hk(&s, "GET", "/trends/videos", None));
    assert_eq!(v["data"]["limit"], 20);
    assert_eq!(v["data"]["total"], 36);
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 20);
    let v = js(&hk(
        &s,
        "GET",
        "/trends/videos?platform=tiktok&limit=10&offset=10",
        None,
    ));
    assert_eq!(v["data"]["total"], 18);
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 8);
    let v = js(&hk(&s, "GET", "/trends/videos?niche=fitness", None));
    assert!(v["data"]["videos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["niche"] == "fitness"));
    assert_eq!(hk(&s, "GET", "/trends/videos?limit=51", None).status, 400);
    let v = js(&hk(&s, "GET", "/integration/list", None));
    let list = v["data"]["integrations"].as_array().unwrap();
    assert!(list.iter().any(|i| i["health"]["status"] == "healthy"));
    assert!(list.iter().any(|i| i["health"]["status"] == "expired"));
    let v = js(&hk(&s, "GET", "/integration/int_yt_abc123", None));
    assert_eq!(
        v,
        json!({"success": true, "data": {"id": "int_yt_abc123", "type": "youtube", "identifier": "UC1234567890",
        "account": {"id": "UC1234567890", "name": "My YouTube Channel", "username": "mychannel", "avatarUrl": "https://yt3.ggpht.com/mychannel.jpg"},
        "health": {"status": "healthy", "tokenValid": true, "lastChecked": "2024-03-15T10:00:00.000Z"}, "createdAt": "2024-01-15T08:30:00.000Z"}})
    );
    let r = hk(&s, "GET", "/integration/int_nope", None);
    assert_eq!(
        (r.status, message(&r)),
        (404, "Integration not found".into())
    );
}

#[test]
fn hooked_social_search() {
    let s = sim();
    let r = hk(
        &s,
        "POST",
        "/social/search/create",
        Some(json!({"searchTerm": "  skincare routine ", "platform": "tiktok", "limit": 7})),
    );
    assert_eq!(r.status, 200);
    let v = js(&r);
    assert_eq!(v["message"], "Search created successfully");
    assert_eq!(v["data"]["videosFound"], 7);
    let search = &v["data"]["search"];
    assert_eq!(search["searchTerm"], "skincare routine");
    assert_eq!(search["keywordsStatus"], "pending");
    let id = search["id"].as_str().unwrap().to_string();
    let v = js(&hk(
        &s,
        "GET",
        &format!("/social/search/{id}?limit=5&offset=5"),
        None,
    ));
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["data"]["pagination"],
        json!({"total": 7, "limit": 5, "offset": 5, "hasMore": false})
    );
    assert_eq!(v["data"]["videos"][0]["platform"], "tiktok");
    let r = hk(
        &s,
        "POST",
        "/social/search/create",
        Some(json!({"searchTerm": "x", "platform": "vine"})),
    );
    assert_eq!(
        message(&r),
        "platform: Invalid enum value. Expected 'tiktok' | 'youtube', received 'vine'"
    );
    assert_eq!(hk(&s, "GET", "/social/search/nope", None).status, 404);
}
