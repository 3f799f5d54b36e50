use hcl::edit::Span;
fn main() {
    let src = "a = \"x\\\"y\"\nb = \"${var.z}k\"\nc = env(\"Q\")\nd = { k = \"v\", \"o.r\" = 1 }\n";
    let body = hcl::edit::parser::parse_body(src).unwrap();
    for a in body.attributes() {
        println!("{} attr={:?} key={:?} val={:?} -> {:?}", a.key.as_str(), a.span(), a.key.span(), a.value.span(), a.value.span().map(|r| &src[r]));
    }
    let e = hcl::edit::parser::parse_body("x {\n a = \n}").unwrap_err();
    println!("{} | {:?} {} {}", e.message(), e.location().line(), e.location().column(), e.location().offset());
    println!("{e}");
}
