//! Hostile spreadsheets through the real binary (issue [1/6] 1 and 2): each
//! crafted file is a few kilobytes, built here; each is refused at once
//! with exit code 2 and a message naming the file and the limit (no abort,
//! no panic), before the database is opened. A FIFO or a device is refused
//! without blocking, so the database is never held.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cli_support::{assert_refused, Sanshe, PLACES};

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A workbook whose sheet holds `rows` (the inside of `<sheetData>`), with
/// more parts, written with the `zip` crate.
fn workbook(rows: &str, parts: &[(&str, &str)]) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let mut all = vec![
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        ("xl/worksheets/sheet1.xml", sheet.as_str()),
    ];
    all.extend_from_slice(parts);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in all {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An inline-string cell.
fn cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Changes the uncompressed size the central directory states for a part.
fn state_size(zip: &mut [u8], name: &str, size: u32) {
    let at = (0..zip.len() - 46)
        .find(|&i| {
            zip[i..].starts_with(b"PK\x01\x02") && zip[i + 46..].starts_with(name.as_bytes())
        })
        .expect("central directory entry");
    zip[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
}

/// Runs `import orgs FILE` on a database that does not exist, which must
/// be refused within `seconds` mentioning the file and `needle`; the
/// database must still not exist (it was never opened). Returns the message.
fn refused_unopened(dir: &Path, file: &Path, needle: &str, seconds: u64) -> String {
    let db = dir.join("never-opened");
    let p = file.to_string_lossy();
    let args = ["import", "orgs", &p];
    let t = Instant::now();
    let o = Sanshe::at(&db)
        .command()
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = assert_refused(&args, &o, needle);
    let name = file.file_name().unwrap().to_string_lossy();
    assert!(err.contains(name.as_ref()), "{err}");
    assert!(
        t.elapsed() < Duration::from_secs(seconds),
        "{p}: {:?}",
        t.elapsed()
    );
    assert!(!db.exists(), "{p}: the database was opened");
    err
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn crafted_workbooks_are_refused_naming_the_file_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Cells at A1 and XFD1048576: calamine allocated the bounding box (abort).
    let corners = format!(
        r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
        cell("A1", "名称"),
        cell("XFD1048576", "x")
    );
    let f = write(d, "corners.xlsx", &workbook(&corners, &[]));
    assert!(std::fs::metadata(&f).unwrap().len() < 2_000);
    refused_unopened(d, &f, "超过 1000 列的上限", 10);
    // An absurd cell reference (a panic before).
    let absurd = format!(
        r#"<row r="1">{}{}</row>"#,
        cell("A1", "名称"),
        cell("AAAAAAAAAAAAAAAAAAAAAAAAAAA99999999999999999999", "x")
    );
    let f = write(d, "absurd.xlsx", &workbook(&absurd, &[]));
    refused_unopened(d, &f, "超出了工作表的范围", 10);
    // A zip bomb: one cell of 16 MB of text (16 KB packed; the issue's
    // 1.3 MB file took 1.2 GB), stopped after 1 MB.
    let long = format!(
        r#"<row r="1">{}</row><row r="2">{}</row>"#,
        cell("A1", "名称"),
        cell("A2", &"a".repeat(16 << 20))
    );
    let f = write(d, "bomb.xlsx", &workbook(&long, &[]));
    assert!(std::fs::metadata(&f).unwrap().len() < 40_000);
    refused_unopened(d, &f, "连续内容", 20);
    // A part that says it unpacks to 4 GB is not unpacked at all.
    let mut big = workbook(&format!(r#"<row r="1">{}</row>"#, cell("A1", "名称")), &[]);
    state_size(&mut big, "xl/worksheets/sheet1.xml", u32::MAX - 1);
    let f = write(d, "states-4gb.xlsx", &big);
    refused_unopened(d, &f, "解压后超过 512 MB 的上限", 10);
    // 10,001 empty parts: the zip reader would build each (a million took
    // 700 MB), so they are counted first.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..10_001 {
        w.start_file(format!("{i:x}"), zip::write::SimpleFileOptions::default())
            .unwrap();
    }
    let f = write(d, "many-parts.xlsx", &w.finish().unwrap().into_inner());
    refused_unopened(d, &f, "超过 10000 个的上限", 20);
    // In English too.
    let db = d.join("never-opened");
    let args = ["import", "orgs", "corners.xlsx"];
    let o = Sanshe::at(&db)
        .lang("en")
        .command()
        .current_dir(d)
        .args(args)
        .output()
        .unwrap();
    assert_refused(&args, &o, "corners.xlsx: more than 1000 columns");
}

/// A shared-string count of 2^64 in the file was reserved up front (a
/// panic); the count is not believed, the workbook is read.
#[test]
fn a_lying_shared_string_count_is_not_believed() {
    let dir = tempfile::tempdir().unwrap();
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="99999999999999999999" uniqueCount="18446744073709551615"><si><t>名称</t></si><si><t>宝石山社区读书会</t></si></sst>"#;
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>"#;
    let f = write(
        dir.path(),
        "sst.xlsx",
        &workbook(rows, &[("xl/sharedStrings.xml", strings)]),
    );
    let db = dir.path().join("db");
    Sanshe::at(&db).add_places(&PLACES);
    let o = Sanshe::at(&db).run(&["import", "orgs", &f.to_string_lossy()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("新增 1 个"), "{err}");
}

#[test]
fn other_workbooks_and_oversized_files_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // An old Excel file (an OLE compound file), whatever its name.
    let xls = write(d, "名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest");
    refused_unopened(d, &xls, "另存为 .xlsx", 10);
    let disguised = write(d, "名单.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest");
    refused_unopened(d, &disguised, "另存为 .xlsx", 10);
    // An OpenDocument sheet: a zip without an Excel workbook in it.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"<office:document-content/>").unwrap();
    let ods = write(d, "名单.ods", &w.finish().unwrap().into_inner());
    refused_unopened(d, &ods, "另存为 .xlsx", 10);
    // Over 128 MB: refused by its size, without reading it (a sparse file).
    let big = d.join("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len((128 << 20) + 1)
        .unwrap();
    refused_unopened(d, &big, "超过 128 MB 的上限", 10);
    // More columns than any organization sheet.
    let wide = write(
        d,
        "wide.csv",
        format!("名称{}\n", ",x".repeat(1000)).as_bytes(),
    );
    refused_unopened(d, &wide, "超过 1000 列的上限", 10);
    // More rows than Excel: 2 MB of CSV.
    let tall = write(
        d,
        "tall.csv",
        format!("名称\n{}", "x\n".repeat(1_048_576)).as_bytes(),
    );
    refused_unopened(d, &tall, "超过 1048576 行的上限", 30);
}

/// Issue [1/6] 2: `import orgs` on a FIFO (or /dev/zero) blocked forever
/// while it held the database. Now it is refused at once, the database
/// untouched and free.
#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_is_refused_at_once_and_the_database_stays_free() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let s = Sanshe::at(&db);
    s.add_places(&PLACES);
    let fifo = dir.path().join("orgs.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for file in [fifo.as_path(), Path::new("/dev/zero")] {
        let p = file.to_string_lossy();
        let args = ["import", "orgs", &p];
        let t = Instant::now();
        let o = s
            .command()
            .args(args)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let err = assert_refused(&args, &o, "不是普通文件");
        assert!(err.contains(p.as_ref()), "{err}");
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
        // The database is free: a write goes through at once.
        let t = Instant::now();
        s.ok(&["org", "add", "--name", &format!("读书会{}", p.len())]);
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    }
}
