//! CSV as RFC 4180 writes it, safe to open in a spreadsheet: every download (extracts, access
//! logs, chart figures, returns) goes through here.

/// Characters that make a spreadsheet read a cell as a formula (the OWASP "CSV injection"
/// list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A plain decimal number: an optional sign, digits, and optionally a point and more digits,
/// such as "-3", "+4" or "12.5". These are data, not formulas, and are left alone so that
/// scores and counts stay numbers in the spreadsheet.
fn is_plain_number(value: &str) -> bool {
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// One CSV field. Every field is quoted and inner quotes doubled (RFC 4180), so commas and
/// line breaks in free text are safe. A value that a spreadsheet would run as a formula —
/// one starting with `=`, `+`, `-`, `@`, a tab or a carriage return — gets a leading
/// apostrophe inside the quotes, so it shows as text. Plain numbers such as "-3" or "+4"
/// are not formulas and are left as they are.
pub fn csv_cell(value: &str) -> String {
    let escape = value.starts_with(FORMULA_STARTS) && !is_plain_number(value);
    let mut cell = String::with_capacity(value.len() + 4);
    cell.push('"');
    if escape {
        cell.push('\'');
    }
    cell.push_str(&value.replace('"', "\"\""));
    cell.push('"');
    cell
}

/// A CSV record: each value through [`csv_cell`], separated by commas, ended with CRLF as
/// RFC 4180 asks.
pub fn csv_line<S: AsRef<str>>(values: &[S]) -> String {
    let cells: Vec<String> = values.iter().map(|v| csv_cell(v.as_ref())).collect();
    format!("{}\r\n", cells.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cells_are_quoted_with_inner_quotes_doubled() {
        assert_eq!(csv_cell(""), "\"\"");
        assert_eq!(csv_cell("plain"), "\"plain\"");
        assert_eq!(csv_cell("Smith, Jo"), "\"Smith, Jo\"");
        assert_eq!(csv_cell("she said \"no\""), "\"she said \"\"no\"\"\"");
        assert_eq!(csv_cell("line one\r\nline two"), "\"line one\r\nline two\"");
        assert_eq!(csv_cell("1+1"), "\"1+1\"");
        assert_eq!(csv_cell(" =not at the start"), "\" =not at the start\"");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_cell("=1+2"), "\"'=1+2\"");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_cell("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"");
        assert_eq!(csv_cell("-2+3+cmd|' /C calc'!A0"), "\"'-2+3+cmd|' /C calc'!A0\"");
        assert_eq!(csv_cell("@SUM(A1:A2)"), "\"'@SUM(A1:A2)\"");
        assert_eq!(csv_cell("\tx"), "\"'\tx\"");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("-"), "\"'-\"");
        assert_eq!(csv_cell("+44 20 7946 0000"), "\"'+44 20 7946 0000\"");
    }

    #[test]
    fn plain_numbers_are_left_alone() {
        assert_eq!(csv_cell("-3"), "\"-3\"");
        assert_eq!(csv_cell("+4"), "\"+4\"");
        assert_eq!(csv_cell("-12.5"), "\"-12.5\"");
        assert_eq!(csv_cell("12.5"), "\"12.5\"");
        for not_plain in ["-1e5", "-.5", "-3.", "--3", "-3-3", "- 3", "-3 "] {
            assert!(csv_cell(not_plain).starts_with("\"'"), "{not_plain:?}");
        }
    }

    #[test]
    fn lines_join_cells_and_end_with_crlf() {
        assert_eq!(csv_line(&["a", "=b", "-3"]), "\"a\",\"'=b\",\"-3\"\r\n");
        assert_eq!(csv_line(&[String::from("x,y")]), "\"x,y\"\r\n");
        assert_eq!(csv_line::<&str>(&[]), "\r\n");
    }

    /// Reads one quoted RFC 4180 field back.
    fn unquote(cell: &str) -> String {
        let inner = cell
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .expect("quoted");
        assert!(!inner.replace("\"\"", "").contains('"'), "lone quote in {cell:?}");
        inner.replace("\"\"", "\"")
    }

    proptest! {
        #[test]
        fn every_cell_reads_back_as_its_value_or_an_escaped_formula(value in "[=+@\\-\t\r\"a-z0-9., \n]{0,12}") {
            let read = unquote(&csv_cell(&value));
            if value.starts_with(FORMULA_STARTS) && !is_plain_number(&value) {
                prop_assert_eq!(read, format!("'{value}"));
            } else {
                prop_assert_eq!(&read, &value);
                prop_assert!(!read.starts_with(FORMULA_STARTS) || is_plain_number(&read));
            }
        }

        #[test]
        fn numbers_stay_numbers(n in any::<i64>(), f in -1.0e6f64..1.0e6) {
            prop_assert_eq!(csv_cell(&n.to_string()), format!("\"{n}\""));
            let decimal = format!("{f:.2}");
            prop_assert_eq!(csv_cell(&decimal), format!("\"{decimal}\""));
        }

    }
}
