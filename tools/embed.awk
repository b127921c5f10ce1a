# Turns a text file into a C string constant named by -v name=NAME, so the
# built-in example ships inside the binary and stays a readable XML file.
BEGIN { printf "/* Generated from %s by tools/embed.awk; do not edit. */\n", src
        printf "const char %s[] =\n", name }
{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "    \"%s\\n\"\n", $0 }
END { print "    ;" }
