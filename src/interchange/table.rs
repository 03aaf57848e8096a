//! Rows of text cells as read from a spreadsheet, held compactly: the text
//! of every cell in one string, where each cell ends and where each row
//! starts (four bytes a cell, where a `Vec<Vec<String>>` takes 24 and an
//! allocation: 200,000 rows of 28 columns took 360 MB, now 110 MB), and
//! [`Rows`], which builds a table within [`Limits`].

use super::read::{Limit, Limits, ReadError};

/// Rows of text cells; rows may differ in length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    text: String,
    /// End of each cell in `text`.
    ends: Vec<u32>,
    /// First cell of each row.
    starts: Vec<u32>,
}

impl Table {
    /// A table of these rows (no limits: for rows made by a program).
    pub fn from_rows<R, S>(rows: impl IntoIterator<Item = R>) -> Table
    where
        R: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut t = Table::default();
        for row in rows {
            t.starts.push(t.ends.len() as u32);
            for cell in row {
                t.text.push_str(cell.as_ref());
                t.ends.push(t.text.len() as u32);
            }
        }
        t
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The cells of row `i` (none past the last row).
    pub fn row(&self, i: usize) -> Vec<&str> {
        let Some(&first) = self.starts.get(i) else {
            return Vec::new();
        };
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.ends.len(), |e| *e as usize);
        (first as usize..end)
            .map(|c| {
                let from = match c {
                    0 => 0,
                    c => self.ends[c - 1] as usize,
                };
                &self.text[from..self.ends[c] as usize]
            })
            .collect()
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl Iterator<Item = Vec<&str>> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }

    fn start_row(&mut self) {
        self.starts.push(self.ends.len() as u32);
    }

    fn push_cell(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len() as u32);
    }
}

/// A table being read, kept within the limits. Rows come in order: whole
/// ([`push`](Self::push), CSV) or cell by cell ([`set`](Self::set), a
/// workbook's cells, in any order within the row being read).
#[derive(Debug)]
pub struct Rows {
    limits: Limits,
    table: Table,
    /// The row being filled cell by cell: its index and cells.
    open: Option<(usize, Vec<String>)>,
    cells: usize,
}

impl Rows {
    pub fn new(limits: &Limits) -> Rows {
        Rows {
            limits: *limits,
            table: Table::default(),
            open: None,
            cells: 0,
        }
    }

    /// The same, with room for this much text and this many cells (what a
    /// CSV file can hold at most), so that the table is not reallocated
    /// while it grows.
    pub fn with_room(limits: &Limits, text: usize, cells: usize) -> Rows {
        let mut r = Rows::new(limits);
        r.table.text.reserve(text.min(limits.text_bytes));
        r.table.ends.reserve(cells.min(limits.cells));
        r
    }

    /// Counts a cell's text (its row and column 0-based, for the message).
    fn check_cell(&self, row: usize, column: usize, value: &str) -> Result<(), Limit> {
        let max = self.limits.cell_chars;
        if value.len() > max && value.chars().count() > max {
            return Err(Limit::CellChars {
                row: row + 1,
                column: column + 1,
            });
        }
        if self.table.text.len() + value.len() > self.limits.text_bytes.min(u32::MAX as usize) {
            return Err(Limit::Text);
        }
        Ok(())
    }

    /// Counts `n` more cells.
    fn add_cells(&mut self, n: usize) -> Result<(), Limit> {
        self.cells += n;
        if self.cells > self.limits.cells {
            return Err(Limit::Cells);
        }
        Ok(())
    }

    /// Appends a whole row.
    pub fn push(&mut self, cells: &[&str]) -> Result<(), Limit> {
        let row = self.table.len();
        if row >= self.limits.rows {
            return Err(Limit::Rows);
        }
        if cells.len() > self.limits.columns {
            return Err(Limit::Columns);
        }
        self.add_cells(cells.len())?;
        self.table.start_row();
        for (column, value) in cells.iter().enumerate() {
            self.check_cell(row, column, value)?;
            self.table.push_cell(value);
        }
        Ok(())
    }

    /// Puts a value at a row and column (0-based), the rows and cells before
    /// it empty. An empty value only checks the place. A row before the one
    /// being filled cannot come back.
    pub fn set(&mut self, row: usize, column: usize, value: String) -> Result<(), ReadError> {
        if row >= self.limits.rows {
            return Err(Limit::Rows.into());
        }
        if column >= self.limits.columns {
            return Err(Limit::Columns.into());
        }
        match &self.open {
            Some((open, _)) if row < *open => return Err(ReadError::CellOrder { row: row + 1 }),
            Some((open, _)) if row > *open => self.close(),
            None if row < self.table.len() => return Err(ReadError::CellOrder { row: row + 1 }),
            _ => {}
        }
        if value.is_empty() {
            return Ok(());
        }
        self.check_cell(row, column, &value)?;
        if self.open.is_none() {
            // Rows without a filled cell before this one.
            while self.table.len() < row {
                self.table.start_row();
            }
            self.open = Some((row, Vec::new()));
        }
        let width = self.open.as_ref().map_or(0, |(_, c)| c.len());
        if column >= width {
            self.add_cells(column + 1 - width)?;
        }
        if let Some((_, cells)) = &mut self.open {
            if column >= cells.len() {
                cells.resize_with(column + 1, String::new);
            }
            cells[column] = value;
        }
        Ok(())
    }

    /// Moves the row being filled into the table.
    fn close(&mut self) {
        if let Some((_, cells)) = self.open.take() {
            self.table.start_row();
            for c in &cells {
                self.table.push_cell(c);
            }
        }
    }

    pub fn finish(mut self) -> Table {
        self.close();
        self.table.text.shrink_to_fit();
        self.table.ends.shrink_to_fit();
        self.table.starts.shrink_to_fit();
        self.table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::read::tests::SMALL;

    fn rows(t: &Table) -> Vec<Vec<&str>> {
        t.rows().collect()
    }

    #[test]
    fn a_table_gives_back_its_rows() {
        let t = Table::from_rows([vec!["名称", "", "电话"], vec![], vec!["x"]]);
        assert_eq!(rows(&t), vec![vec!["名称", "", "电话"], vec![], vec!["x"]]);
        assert_eq!(t.len(), 3);
        assert!(t.row(3).is_empty());
        assert!(Table::default().is_empty());
    }

    #[test]
    fn cells_set_one_by_one() {
        let mut r = Rows::new(&SMALL);
        r.set(0, 1, "b".into()).unwrap();
        r.set(0, 0, "a".into()).unwrap();
        r.set(2, 2, "c".into()).unwrap();
        r.set(2, 0, String::new()).unwrap();
        r.set(4, 0, String::new()).unwrap();
        assert_eq!(
            r.set(1, 0, "late".into()),
            Err(ReadError::CellOrder { row: 2 })
        );
        assert_eq!(
            rows(&r.finish()),
            vec![vec!["a", "b"], vec![], vec!["", "", "c"]]
        );
    }

    #[test]
    fn rows_within_limits() {
        let mut r = Rows::new(&SMALL);
        assert_eq!(r.set(100, 0, "x".into()), Err(Limit::Rows.into()));
        assert_eq!(r.set(0, 10, "x".into()), Err(Limit::Columns.into()));
        assert_eq!(
            r.set(3, 4, "长".repeat(21)),
            Err(Limit::CellChars { row: 4, column: 5 }.into())
        );
        r.set(3, 0, "长".repeat(20)).unwrap();
        assert_eq!(r.push(&[""; 11]), Err(Limit::Columns));
        // Wide rows add up to the cell limit.
        let mut r = Rows::new(&SMALL);
        for row in 0..5 {
            r.set(row, 9, "x".into()).unwrap();
        }
        assert_eq!(r.set(5, 9, "x".into()), Err(Limit::Cells.into()));
        // Text adds up to the text limit.
        let mut r = Rows::new(&SMALL);
        for _ in 0..10 {
            r.push(&["x".repeat(20).as_str()]).unwrap();
        }
        assert_eq!(r.push(&["x"]), Err(Limit::Text));
    }
}
