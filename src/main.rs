fn main() {
    std::process::exit(sanshe::cli::main());
}
