//! Rendered media served by the simulator under `/media/<name>?expires=<unix>&signature=<hex>`:
//! URL signing (a keyed hash of name + expiry with a per-process secret; not HMAC, but checked),
//! S3-like 403 `AccessDenied` XML when the signature is bad or the URL expired, GET and HEAD,
//! `Accept-Ranges: bytes` and single `Range` requests (206 + `Content-Range`, 416 when
//! unsatisfiable). `.mp4` names serve `video_bytes` pattern bytes (`Body::Pattern`, never
//! allocated) or, when `video_bytes == 0`, a small structurally valid MP4 (ftyp + moov + mdat)
//! built once; `.png`/`.jpg` names serve a 1x1 PNG (thumbnails).
//! HEAD answers carry the full body length: the HTTP server must send headers only.

use super::util::unix_now;
use crate::types::{pattern_byte, Body, SimRequest, SimResponse};
use bytes::Bytes;
use std::hash::{Hash, Hasher};

const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

pub struct Media {
    secret: [u64; 2],
    mp4: Bytes,
    video_bytes: u64,
}

fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(8 + payload.len());
    v.extend_from_slice(&((8 + payload.len()) as u32).to_be_bytes());
    v.extend_from_slice(kind);
    v.extend_from_slice(payload);
    v
}

fn full(kind: &[u8; 4], version: u8, flags: u32, payload: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(4 + payload.len());
    p.push(version);
    p.extend_from_slice(&flags.to_be_bytes()[1..]);
    p.extend_from_slice(payload);
    bx(kind, &p)
}

const MATRIX: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];

fn be(parts: &[u32]) -> Vec<u8> {
    parts.iter().flat_map(|p| p.to_be_bytes()).collect()
}

/// A 1-second, 320x240 MP4 skeleton: ftyp, moov (mvhd + one video trak with an empty
/// sample table) and an mdat of pattern bytes. Every box is well formed.
pub fn tiny_mp4() -> Vec<u8> {
    let mut ftyp = b"isom".to_vec();
    ftyp.extend_from_slice(&0x200u32.to_be_bytes());
    for b in [b"isom", b"iso2", b"avc1", b"mp41"] {
        ftyp.extend_from_slice(b);
    }
    let mut mvhd = be(&[0, 0, 1000, 1000, 0x0001_0000]);
    mvhd.extend_from_slice(&[0x01, 0x00, 0, 0]);
    mvhd.extend_from_slice(&[0; 8]);
    mvhd.extend_from_slice(&be(&MATRIX));
    mvhd.extend_from_slice(&[0; 24]);
    mvhd.extend_from_slice(&2u32.to_be_bytes());
    let mut tkhd = be(&[0, 0, 1, 0, 1000, 0, 0]);
    tkhd.extend_from_slice(&[0; 8]); // layer, alternate group, volume, reserved
    tkhd.extend_from_slice(&be(&MATRIX));
    tkhd.extend_from_slice(&be(&[320 << 16, 240 << 16]));
    let mdhd = {
        let mut p = be(&[0, 0, 1000, 1000]);
        p.extend_from_slice(&[0x55, 0xC4, 0, 0]);
        p
    };
    let hdlr = {
        let mut p = be(&[0]);
        p.extend_from_slice(b"vide");
        p.extend_from_slice(&[0; 12]);
        p.extend_from_slice(b"VideoHandler\0");
        p
    };
    let vmhd = [0u8; 8];
    let dref = {
        let mut p = be(&[1]);
        p.extend_from_slice(&full(b"url ", 0, 1, &[]));
        p
    };
    let stbl = [
        full(b"stsd", 0, 0, &be(&[0])),
        full(b"stts", 0, 0, &be(&[0])),
        full(b"stsc", 0, 0, &be(&[0])),
        full(b"stsz", 0, 0, &be(&[0, 0])),
        full(b"stco", 0, 0, &be(&[0])),
    ]
    .concat();
    let minf = [
        full(b"vmhd", 0, 1, &vmhd),
        bx(b"dinf", &full(b"dref", 0, 0, &dref)),
        bx(b"stbl", &stbl),
    ]
    .concat();
    let mdia = [
        full(b"mdhd", 0, 0, &mdhd),
        full(b"hdlr", 0, 0, &hdlr),
        bx(b"minf", &minf),
    ]
    .concat();
    let trak = [full(b"tkhd", 0, 3, &tkhd), bx(b"mdia", &mdia)].concat();
    let moov = [full(b"mvhd", 0, 0, &mvhd), bx(b"trak", &trak)].concat();
    let mdat: Vec<u8> = (0..256u64).map(pattern_byte).collect();
    [bx(b"ftyp", &ftyp), bx(b"moov", &moov), bx(b"mdat", &mdat)].concat()
}

fn xml_error(status: u16, code: &str, message: &str) -> SimResponse {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>\
         <RequestId>{:016X}</RequestId><HostId>reelkit-sim</HostId></Error>",
        rand::random::<u64>()
    );
    SimResponse::text(status, "application/xml", body)
}

/// Parses a single `bytes=` range against `total`: `Ok(None)` = no usable range header
/// (serve everything), `Err(())` = unsatisfiable.
fn parse_range(h: &str, total: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = h.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        let Ok(n) = b.parse::<u64>() else {
            return Ok(None);
        };
        if n == 0 || total == 0 {
            return Err(());
        }
        let n = n.min(total);
        return Ok(Some((total - n, total - 1)));
    }
    let Ok(start) = a.parse::<u64>() else {
        return Ok(None);
    };
    let end = if b.is_empty() {
        total.saturating_sub(1)
    } else {
        match b.parse::<u64>() {
            Ok(e) if e >= start => e.min(total.saturating_sub(1)),
            _ => return Ok(None),
        }
    };
    if start >= total {
        return Err(());
    }
    Ok(Some((start, end)))
}

impl Media {
    pub fn new(video_bytes: u64) -> Self {
        Media {
            secret: [rand::random(), rand::random()],
            mp4: Bytes::from(tiny_mp4()),
            video_bytes,
        }
    }

    /// Size in bytes of every rendered video.
    pub fn video_size(&self) -> u64 {
        if self.video_bytes == 0 {
            self.mp4.len() as u64
        } else {
            self.video_bytes
        }
    }

    pub fn sign(&self, name: &str, expires: u64) -> String {
        let mut out = String::with_capacity(32);
        for k in self.secret {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            k.hash(&mut h);
            name.hash(&mut h);
            expires.hash(&mut h);
            out.push_str(&format!("{:016x}", h.finish()));
        }
        out
    }

    /// `base/media/name?expires=..&signature=..`, valid for `ttl` seconds from now.
    pub fn url(&self, base: &str, name: &str, ttl: f64) -> String {
        self.url_until(base, name, (unix_now() + ttl).ceil() as u64)
    }

    pub fn url_until(&self, base: &str, name: &str, expires: u64) -> String {
        format!(
            "{base}/media/{name}?expires={expires}&signature={}",
            self.sign(name, expires)
        )
    }

    pub fn serve(&self, req: &SimRequest, name: &str) -> SimResponse {
        if req.method != "GET" && req.method != "HEAD" {
            return xml_error(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            )
            .with_header("allow", "GET, HEAD");
        }
        let (Some(expires), Some(sig)) = (req.query_param("expires"), req.query_param("signature"))
        else {
            return xml_error(
                403,
                "AccessDenied",
                "Request is missing the expires or signature parameter",
            );
        };
        let Ok(exp) = expires.parse::<u64>() else {
            return xml_error(403, "AccessDenied", "Invalid expires parameter");
        };
        if !self.sign(name, exp).eq_ignore_ascii_case(sig) {
            return xml_error(
                403,
                "AccessDenied",
                "The request signature we calculated does not match the signature you provided",
            );
        }
        if (exp as f64) < unix_now() {
            return xml_error(403, "AccessDenied", "Request has expired");
        }
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let (ctype, total, image) = match ext.as_deref() {
            Some("mp4") => ("video/mp4", self.video_size(), false),
            Some("png") => ("image/png", PNG_1X1.len() as u64, true),
            Some("jpg") | Some("jpeg") => ("image/jpeg", PNG_1X1.len() as u64, true),
            _ => return xml_error(404, "NoSuchKey", "The specified key does not exist."),
        };
        let body_of = |start: u64, len: u64| -> Body {
            if image {
                Body::Bytes(
                    Bytes::from_static(PNG_1X1).slice(start as usize..(start + len) as usize),
                )
            } else if self.video_bytes == 0 {
                Body::Bytes(self.mp4.slice(start as usize..(start + len) as usize))
            } else {
                Body::Pattern { len, offset: start }
            }
        };
        let etag = format!("\"{}\"", &self.sign(name, 0)[..16]);
        let range = req.header("range").map(|h| parse_range(h, total));
        let resp = match range {
            Some(Err(())) => {
                return xml_error(
                    416,
                    "InvalidRange",
                    "The requested range is not satisfiable",
                )
                .with_header("content-range", format!("bytes */{total}"))
                .with_header("accept-ranges", "bytes");
            }
            Some(Ok(Some((start, end)))) => SimResponse {
                status: 206,
                headers: vec![("content-type".into(), ctype.into())],
                body: body_of(start, end - start + 1),
            }
            .with_header("content-range", format!("bytes {start}-{end}/{total}")),
            _ => SimResponse {
                status: 200,
                headers: vec![("content-type".into(), ctype.into())],
                body: body_of(0, total),
            },
        };
        resp.with_header("accept-ranges", "bytes")
            .with_header("etag", etag)
            .with_header("cache-control", "private, max-age=86400")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(b: &[u8]) -> Vec<String> {
        let mut i = 0;
        let mut out = vec![];
        while i + 8 <= b.len() {
            let size = u32::from_be_bytes(b[i..i + 4].try_into().unwrap()) as usize;
            out.push(String::from_utf8_lossy(&b[i + 4..i + 8]).into_owned());
            assert!(size >= 8 && i + size <= b.len());
            i += size;
        }
        assert_eq!(i, b.len());
        out
    }

    #[test]
    fn mp4_is_well_formed() {
        let m = tiny_mp4();
        assert_eq!(boxes(&m), ["ftyp", "moov", "mdat"]);
        // moov children
        let ftyp = u32::from_be_bytes(m[0..4].try_into().unwrap()) as usize;
        let moov_size = u32::from_be_bytes(m[ftyp..ftyp + 4].try_into().unwrap()) as usize;
        assert_eq!(&m[ftyp + 4..ftyp + 8], b"moov");
        assert_eq!(boxes(&m[ftyp + 8..ftyp + moov_size]), ["mvhd", "trak"]);
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=10-", 100), Ok(Some((10, 99))));
        assert_eq!(parse_range("bytes=10-19", 100), Ok(Some((10, 19))));
        assert_eq!(parse_range("bytes=-5", 100), Ok(Some((95, 99))));
        assert_eq!(parse_range("bytes=10-500", 100), Ok(Some((10, 99))));
        assert_eq!(parse_range("bytes=100-", 100), Err(()));
        assert_eq!(parse_range("items=1-2", 100), Ok(None));
    }
}
