//! One module per subcommand: the only places that wire files, the terminal and the
//! library together.

pub mod review;
pub mod run;
