# t_cred.sh - signed credentials end to end: `opcert cred issue` (payload,
# QR images, printed certificate, the log entry), `cred verify` of the
# payload, the URL, the QR image and a JPEG of the printed card (online and
# offline), the keys (init, list, modes, trust list, backup and restore, a
# passphrase-encrypted store), holder photos, --batch, the lifecycle seen
# through a credential, and bad input.  The forgeries are in
# t_cred_forgery.sh.
#
# Needs sqlite3, jq and perl (with Compress::Zlib, to make a test photo).
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/cli/credlib.sh"

HOST=127.0.0.1:8080
KEYS=$T/keys
# Rendering a certificate (cred issue --pdf / --jpeg) loads fontconfig and
# cairo, whose own leaks are suppressed narrowly (tests/lsan.supp).
LSAN_RENDER="suppressions=$OPCERT_SRC/tests/lsan.supp:fast_unwind_on_malloc=0"

# opcert_render ARGS...: opcert for a command that renders a certificate.
opcert_render() {
	run env LSAN_OPTIONS="$LSAN_RENDER" "$OPCERT" "$@"
}

# ---------------------------------------------------------------------------
# Setup: an official host, the demo register, the keys.

if ! perl -MCompress::Zlib -e 1 >/dev/null 2>&1; then
	die "perl with Compress::Zlib is needed to make a test photo"
fi

opcert init --official-host "$HOST" --db "$DB" --today "$TODAY"
check_rc 0 "init --official-host exits 0"
check_out_has "http://$HOST/v" "init names the official verifier"
opcert demo --certificates 200 --roster 10 --today "$TODAY" --out "$DEMO" --db "$DB" --import
if [ "$RC" -ne 0 ] || [ ! -s "$DEMO/register.csv" ]; then
	die "opcert demo --import failed (exit $RC): $(head -c 300 "$T/err")"
fi
opcert key init --db "$DB" --today "$TODAY"
check_rc 0 "key init exits 0"
[ -f "$KEYS/keys.json" ] || die "key init wrote no keys/keys.json beside the database"

# The signed trust list names every issuer of the register from the import
# on, not only those a credential was issued for: a list exported before the
# first issuance (as an offline device gets it) names the issuers too.
opcert trust export "$T/trust0.json" --db "$DB" --today "$TODAY"
check_rc 0 "trust export before the first issuance exits 0"
jq -r .payload "$T/trust0.json" | perl -MMIME::Base64 -ne 'chomp; tr{-_}{+/}; print decode_base64($_)' \
	>"$T/trust0-inner.json"
check_eq "$(jq -r '[.issuers[].name] | sort | join(",")' "$T/trust0-inner.json")" \
	"$(strip "$DEMO/register.csv" | sed 1d | cut -d, -f6 | LC_ALL=C sort -u | paste -sd, -)" \
	"the trust list exported after the import names every issuer of the register"
check_eq "$(jq -r '[.issuers[].code] | join(",")' "$T/trust0-inner.json")" "I1,I2" \
	"the issuers have the codes I1 and I2"

reg_valid_rows >"$T/valid.txt"
# Certificates valid today, each used by one part below.
EROW=$(grep '^T' "$T/valid.txt" | head -1)
grep -v '^T' "$T/valid.txt" >"$T/cvalid.txt"
C1ROW=$(sed -n 1p "$T/cvalid.txt")
C2ROW=$(sed -n 2p "$T/cvalid.txt")
C3ROW=$(sed -n 3p "$T/cvalid.txt")
C4ROW=$(sed -n 4p "$T/cvalid.txt")
[ -n "$EROW" ] && [ -n "$C4ROW" ] || die "the demo register lacks valid certificates"
EN=$(field 1 "$EROW")
EID=$(field 4 "$EROW")
C1=$(field 1 "$C1ROW")
C2=$(field 1 "$C2ROW")
C3=$(field 1 "$C3ROW")
C3NAME=$(field 2 "$C3ROW")
C4=$(field 1 "$C4ROW")
# A certificate that is in the register as valid but past its date.
XROW=$(strip "$DEMO/register.csv" | awk -F, -v today="$TODAY" 'NR > 1 && $10 == "有效" && $8 < today' | head -1)
[ -n "$XROW" ] || die "the demo register lacks an expired certificate"
XN=$(field 1 "$XROW")
XNAME=$(field 2 "$XROW")

entries() {
	db_count "$DB" log_entry
}

# expect_text VERDICT EXIT DESCRIPTION: the same for text output.
expect_text() {
	check_rc "$2" "$3 (text): exit $2"
	check_out_has "核验结论：" "$3 (text): a verdict line"
	check_out_has "（$1）" "$3 (text): verdict $1"
}

# url PAYLOAD [SCHEME://HOST]: the payload in the QR code's URL form.
url() {
	printf '%s/v#%s' "${2:-http://$HOST}" "$(printf '%s' "$1" | sed 's/%/%25/g; s/ /%20/g')"
}

# magic FILE N: the first N bytes in hex.
magic() {
	od -An -tx1 -N"$2" "$1" | tr -d ' \n'
}

# qr_version: the QR version cred issue reported on stderr.
qr_version() {
	sed -n 's/.*版本 \([0-9][0-9]*\).*/\1/p' "$T/err" | head -1
}

# ---------------------------------------------------------------------------
# Issue

N0=$(entries)
opcert_render cred issue "$C1" --png "$T/q.png" --svg "$T/q.svg" --pdf "$T/c.pdf" --jpeg "$T/c.jpg" \
	--db "$DB" --today "$TODAY"
check_rc 0 "cred issue with every output exits 0"
P1=$(cat "$T/out")
check_eq "$(wc -l <"$T/out" | tr -d ' ')" 1 "cred issue prints one line"
case $P1 in
OC1:?*) pass ;;
*) fail "cred issue prints an OC1: payload" "got: $(head -c 100 "$T/out")" ;;
esac
check "the payload is all Base45 after OC1:" sh -c 'printf "%s" "${1#OC1:}" | LC_ALL=C grep -qx "[0-9A-Z $%*+./:-]*"' sh "$P1"
V=$(qr_version)
check_ne "$V" "" "cred issue reports the QR version on stderr"
check "the QR version ${V:-?} is at most 13" test "${V:-99}" -le 13
check_eq "$(magic "$T/q.png" 8)" 89504e470d0a1a0a "--png writes a PNG"
check "--svg writes an SVG" grep -q '<svg' "$T/q.svg"
check_eq "$(magic "$T/c.pdf" 5)" 255044462d "--pdf writes a PDF"
check_eq "$(magic "$T/c.jpg" 3)" ffd8ff "--jpeg writes a JPEG"
check_eq "$(entries)" $((N0 + 2)) "the issuance is one log entry, and its checkpoint one anchor of the audit trail"
opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "log verify after the issuance exits 0"
check_out_has "未发现问题" "log verify finds nothing after the issuance"

# An emergency-management certificate: its number holds the ID number, which
# no output may show in full.
opcert cred issue "$EN" --png "$T/qe.png" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue of $EN exits 0"
PE=$(cat "$T/out")
cat "$T/out" "$T/err" >"$T/all-e.txt"
MASK="$(printf '%s' "$EID" | cut -c1-6)********$(printf '%s' "$EID" | cut -c15-18)"
cvj "$PE"
expect valid 0 "the credential of $EN"
check_eq "$(jq -r .claims.number "$T/out")" "T$MASK" "the claims carry the T number masked"
check_eq "$(jq -r .claims.id_masked "$T/out")" "$MASK" "the claims carry the ID number masked"
cat "$T/out" "$T/err" >>"$T/all-e.txt"
cv "$PE"
expect_text valid 0 "the credential of $EN"
check_out_has "T$MASK" "text output shows the masked number"
cat "$T/out" "$T/err" >>"$T/all-e.txt"
cvj --image "$T/qe.png"
cat "$T/out" "$T/err" >>"$T/all-e.txt"
if grep -q -F "$EID" "$T/all-e.txt"; then
	fail "no output shows the full ID number $EID" "$(grep -F "$EID" "$T/all-e.txt" | head -c 300)"
else
	pass
fi

# ---------------------------------------------------------------------------
# Valid: payload, URL, QR image, a JPEG of the printed card

cvj "$P1"
expect valid 0 "the payload of $C1"
check_eq "$(jq -r .claims.number "$T/out")" "$C1" "the claims name $C1"
check_eq "$(jq -r .claims.name "$T/out")" "$(field 2 "$C1ROW")" "the claims carry the holder's name"
check_eq "$(jq -r .claims.valid_until "$T/out")" "$(field 8 "$C1ROW")" "the claims carry valid_until"
check_eq "$(jq -r '.kid | test("^[0-9a-f]{16}$")' "$T/out")" true "JSON gives the 8-byte key id"
check_eq "$(jq -c .findings "$T/out")" "[]" "a valid credential has no finding"
KID1=$(jq -r .kid "$T/out")
cv "$P1"
expect_text valid 0 "the payload of $C1"
check_out_has "$C1" "text output names the certificate"
check_out_has "$KID1" "text output names the key"

U1=$(url "$P1")
case $P1 in
*' '*)
	case $U1 in
	*' '*) fail "the URL form has no raw space" "$U1" ;;
	*%20*) pass ;;
	esac
	;;
esac
cvj "$U1"
expect valid 0 "the URL form"
cv "$U1"
expect_text valid 0 "the URL form"
cvj --image "$T/q.png"
expect valid 0 "the QR PNG"
check_eq "$(jq -r .claims.number "$T/out")" "$C1" "the QR PNG holds $C1's credential"
cv --image "$T/q.png"
expect_text valid 0 "the QR PNG"
cvj --image "$T/c.jpg"
expect valid 0 "a JPEG of the printed card"
check_eq "$(wc -l <"$T/out" | tr -d ' ')" 1 "the card holds one code"
check_eq "$(jq -r .claims.number "$T/out")" "$C1" "the card's code is $C1's credential"
cv --image "$T/c.jpg"
expect_text valid 0 "a JPEG of the printed card"

# ---------------------------------------------------------------------------
# Keys

opcert key list --db "$DB" --today "$TODAY"
check_rc 0 "key list exits 0"
check_out_has "根密钥" "key list shows the root key"
check_out_has "签发密钥" "key list shows the issuing key"
check_out_has "日志密钥" "key list shows the log key"
check_out_has "$KID1" "key list shows the issuing key's id"
check_out_has "（当前）" "key list marks the current issuing key"
check_eq "$(grep -c '[0-9a-f]\{16\}' "$T/out")" 3 "key list shows three keys"
cp "$T/out" "$T/keylist.txt"

cp "$KEYS/keys.json" "$T/keys.json.before"
N0=$(entries)
opcert key init --db "$DB" --today "$TODAY"
check_rc 0 "a second key init exits 0"
check_out_has "未做任何改动" "a second key init says it changed nothing"
check_files_same "$KEYS/keys.json" "$T/keys.json.before" "a second key init leaves keys.json alone"
# keys.json, the root, issuing and log keys, and the data key of opcert init
check_eq "$(ls "$KEYS" | wc -l | tr -d ' ')" 5 "a second key init adds no file"
check_eq "$(entries)" "$N0" "a second key init appends nothing to the log"

check_eq "$(stat -c %a "$KEYS")" 700 "the key directory is mode 0700"
for f in "$KEYS"/*; do
	check_eq "$(stat -c %a "$f")" 600 "$(basename "$f") is mode 0600"
done

opcert trust export "$T/trust.json" --db "$DB" --today "$TODAY"
check_rc 0 "trust export exits 0"
check "trust export writes the file" test -s "$T/trust.json"
check "the trust list is JSON with a payload and a signature" jq -e '.payload and .signature' "$T/trust.json"
opcert status export "$T/status.json" --db "$DB" --today "$TODAY"
check_rc 0 "status export exits 0"
check "status export writes the file" test -s "$T/status.json"

cvj "$P1" --offline --trust "$T/trust.json" --status "$T/status.json"
expect valid 0 "offline with the trust list and a fresh status list"
cv "$U1" --offline --trust "$T/trust.json" --status "$T/status.json"
expect_text valid 0 "offline, the URL form"
cvj "$P1" --offline --trust "$T/trust.json"
expect status_unknown 1 "offline without a status list"
check_eq "$(jq -r .claims.number "$T/out")" "$C1" "status_unknown still shows the signed claims"
# With the list exported before the first issuance, the offline check names
# each credential's issuer as the online check does, not by its code.
# issuer_named PAYLOAD ROW: offline and online, the issuer of ROW is named.
issuer_named() {
	cvj "$1" --offline --trust "$T/trust0.json" --status "$T/status.json"
	expect valid 0 "offline with the trust list exported before issuance ($(field 1 "$2"))"
	check_eq "$(jq -r .claims.issuer "$T/out")" "$(field 6 "$2")" \
		"offline, $(field 1 "$2"): the issuer is named"
	cv "$1" --offline --trust "$T/trust0.json" --status "$T/status.json"
	check_out_has "发证机关：$(field 6 "$2")" "offline text, $(field 1 "$2"): 发证机关 names the issuer"
	cvj "$1"
	check_eq "$(jq -r .claims.issuer "$T/out")" "$(field 6 "$2")" \
		"online, $(field 1 "$2"): the same issuer name"
}
issuer_named "$P1" "$C1ROW"
issuer_named "$PE" "$EROW"
# Offline on a device with no register and no keys: only the files.
opcert cred verify "$P1" --offline --trust "$T/trust.json" --status "$T/status.json" \
	--official-host "$HOST" --db "$T/none.db" --keys "$T/nokeys" --today "$TODAY" --format json
expect valid 0 "offline with nothing but the trust and status lists"
check_err_has "未与固定的根公钥比对" "an unpinned trust list is reported on stderr"

# A trust list with one changed byte, inside the signed payload and inside
# the signature: refused, pinned or not.
perl -e 'local $/; $_ = <STDIN>; s/("payload"\s*:\s*"[^"]{40})(.)/$1 . ($2 eq "A" ? "B" : "A")/e or die; print' \
	<"$T/trust.json" >"$T/trust-payload.json"
perl -e 'local $/; $_ = <STDIN>; s/("signature"\s*:\s*"[^"]{10})(.)/$1 . ($2 eq "A" ? "B" : "A")/e or die; print' \
	<"$T/trust.json" >"$T/trust-sig.json"
check_eq "$(cmp "$T/trust.json" "$T/trust-payload.json" | wc -l | tr -d ' ')" 1 "the changed trust list differs"
for f in trust-payload trust-sig; do
	cvj "$P1" --offline --trust "$T/$f.json" --status "$T/status.json"
	check_rc 2 "a trust list with one changed byte ($f) is refused: exit 2"
	check_out_empty "$f: no verdict is printed"
	check_err_nonempty "$f: the refusal says why"
	opcert cred verify "$P1" --offline --trust "$T/$f.json" --official-host "$HOST" \
		--db "$T/none.db" --keys "$T/nokeys" --today "$TODAY"
	check_rc 2 "$f without a pinned root is refused: exit 2"
done
cvj "$P1" --trust "$T/trust-payload.json"
check_rc 2 "online with a changed trust list: exit 2"

# Backup and restore.
printf 'backup passphrase 1\n' >"$T/bpass.txt"
printf 'wrong\n' >"$T/wpass.txt"
opcert key backup "$T/keys.bak" --db "$DB" --today "$TODAY"
check_rc 2 "key backup without --backup-passphrase-file exits 2"
check_err_has "--backup-passphrase-file" "key backup without a passphrase says what is missing"
check "no unencrypted backup is written" test ! -e "$T/keys.bak"
opcert key backup "$T/keys.bak" --backup-passphrase-file "$T/bpass.txt" --db "$DB" --today "$TODAY"
check_rc 0 "key backup exits 0"
check_eq "$(head -c 8 "$T/keys.bak")" OPCBAK01 "the backup has its magic"
if grep -q -F "$KID1" "$T/keys.bak" || grep -q -F '"role"' "$T/keys.bak"; then
	fail "the backup is encrypted (no key index readable in it)"
else
	pass
fi
opcert key backup "$T/keys.bak" --backup-passphrase-file "$T/bpass.txt" --db "$DB" --today "$TODAY"
check_rc 2 "key backup onto an existing file exits 2"
mkdir "$T/restored-bad"
opcert key restore "$T/keys.bak" --backup-passphrase-file "$T/wpass.txt" --keys "$T/restored-bad" \
	--db "$DB" --today "$TODAY"
check_rc 2 "key restore with the wrong passphrase exits 2"
check_eq "$(ls "$T/restored-bad" | wc -l | tr -d ' ')" 0 "a failed restore writes nothing"
mkdir "$T/restored"
opcert key restore "$T/keys.bak" --backup-passphrase-file "$T/bpass.txt" --keys "$T/restored" \
	--db "$DB" --today "$TODAY"
check_rc 0 "key restore into an empty directory exits 0"
opcert key list --keys "$T/restored" --db "$DB" --today "$TODAY"
check_rc 0 "key list of the restored store exits 0"
check_files_same "$T/out" "$T/keylist.txt" "the restored store lists the same keys"
for f in "$KEYS"/*; do
	check_files_same "$f" "$T/restored/$(basename "$f")" "restored $(basename "$f") is identical"
	check_eq "$(stat -c %a "$T/restored/$(basename "$f")")" 600 "restored $(basename "$f") is mode 0600"
done
opcert key restore "$T/keys.bak" --backup-passphrase-file "$T/bpass.txt" --keys "$T/restored" \
	--db "$DB" --today "$TODAY"
check_rc 2 "key restore into a directory that is not empty exits 2"
cvj "$P1" --keys "$T/restored"
expect valid 0 "a credential verified with the restored keys"

# A passphrase-encrypted key store.
EK=$T/enckeys
printf 's3cret passphrase\n' >"$T/pass.txt"
opcert key init --keys "$EK" --passphrase-file "$T/pass.txt" --db "$DB" --today "$TODAY"
check_rc 0 "key init --passphrase-file exits 0"
opcert key list --keys "$EK" --db "$DB" --today "$TODAY"
check_eq "$(grep -c '口令加密' "$T/out")" 3 "every key of the encrypted store is passphrase-encrypted"
for f in "$EK"/*; do
	check_eq "$(stat -c %a "$f")" 600 "encrypted store: $(basename "$f") is mode 0600"
done
opcert cred issue "$C2" --keys "$EK" --passphrase-file "$T/pass.txt" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue with the passphrase exits 0"
PEK=$(cat "$T/out")
cvj "$PEK" --keys "$EK"
expect valid 0 "a credential of the encrypted store"
N0=$(entries)
opcert cred issue "$C2" --keys "$EK" --passphrase-file "$T/wpass.txt" --db "$DB" --today "$TODAY"
check_rc 2 "cred issue with a wrong passphrase exits 2"
check_err_has "口令错误" "a wrong passphrase is named"
check_out_empty "a wrong passphrase prints no payload"
opcert cred issue "$C2" --keys "$EK" --db "$DB" --today "$TODAY"
check_rc 2 "cred issue without the passphrase exits 2"
check_err_has "--passphrase-file" "the message says how to give the passphrase"
check_eq "$(entries)" "$N0" "failed issuances append nothing to the log"
run env OPCERT_PASSPHRASE_FILE="$T/pass.txt" "$OPCERT" cred issue "$C2" --keys "$EK" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue with \$OPCERT_PASSPHRASE_FILE exits 0"

# ---------------------------------------------------------------------------
# Photo

# png W H FILE: a plain RGB PNG, W x H pixels.
png() {
	perl -MCompress::Zlib -e '
		my ($w, $h) = @ARGV;
		my $raw = "";
		for my $y (0 .. $h - 1) {
			$raw .= "\0";
			for my $x (0 .. $w - 1) {
				$raw .= pack("C3", 180 + $x % 60, 120 + $y % 100, 90);
			}
		}
		sub chunk { pack("N", length $_[1]) . $_[0] . $_[1] . pack("N", crc32($_[0] . $_[1])) }
		binmode STDOUT;
		print "\x89PNG\r\n\x1a\n", chunk("IHDR", pack("NNC5", $w, $h, 8, 2, 0, 0, 0)),
		    chunk("IDAT", compress($raw)), chunk("IEND", "");' "$1" "$2" >"$3"
}
png 96 128 "$T/photo.png"
check_eq "$(magic "$T/photo.png" 8)" 89504e470d0a1a0a "the test photo is a PNG"

N0=$(entries)
opcert photo "$C3" "$T/c.jpg" --db "$DB" --today "$TODAY"
check_rc 0 "photo with a JPEG exits 0"
check_out_has "image/jpeg" "photo names the JPEG type"
opcert photo "$C3" "$T/photo.png" --db "$DB" --today "$TODAY"
check_rc 0 "photo with a PNG exits 0"
check_out_has "image/png" "photo names the PNG type"
check_eq "$(entries)" $((N0 + 2)) "each photo is one log entry"
opcert_render cred issue "$C3" --jpeg "$T/c3.jpg" --pdf "$T/c3.pdf" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue with a photo exits 0"
P3=$(cat "$T/out")
V=$(qr_version)
check "with a photo, the QR version ${V:-?} is at most 13" test "${V:-99}" -le 13
cvj "$P3"
expect valid 0 "a credential with a photo"
check_eq "$(jq -r .claims.photo_hash "$T/out")" "$(sha256sum "$T/photo.png" | cut -c1-32)" \
	"photo_hash is the first 16 bytes of SHA-256 of the photo"
cvj --image "$T/c3.jpg"
expect valid 0 "a JPEG of a card with a photo"
check_eq "$(wc -l <"$T/out" | tr -d ' ')" 1 "the card with a photo holds one code"
check_eq "$(jq -r .claims.number "$T/out")" "$C3" "the card's code is $C3's credential"
check_eq "$(magic "$T/c3.pdf" 5)" 255044462d "the card with a photo renders as a PDF"
opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "log verify after the photos exits 0"

printf 'this is not a picture\n' >"$T/text.jpg"
: >"$T/empty.jpg"
head -c 3000 "$T/c.jpg" >"$T/cut.jpg"
printf '%s' iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg== |
	base64 -d >"$T/tiny.png"
head -c 3000000 /dev/zero >"$T/huge.jpg"
N0=$(entries)
for f in text.jpg empty.jpg missing.jpg cut.jpg tiny.png huge.jpg; do
	opcert photo "$C4" "$T/$f" --db "$DB" --today "$TODAY"
	check_rc 2 "photo $f exits 2"
	check_err_has "$f" "photo $f: the message names the file"
	check_out_empty "photo $f prints nothing on stdout"
done
check_eq "$(entries)" "$N0" "refused photos append nothing to the log"
opcert photo "$C4" "$T/text.jpg" --db "$DB" --today "$TODAY"
check_err_has "不是有效的" "a text file is not an image"
opcert photo "$C4" "$T/empty.jpg" --db "$DB" --today "$TODAY"
check_err_has "为空" "an empty file is named empty"
opcert photo "$C4" "$T/tiny.png" --db "$DB" --today "$TODAY"
check_err_has "64" "a 1-pixel image is too small"
opcert photo 黔A012020999999 "$T/photo.png" --db "$DB" --today "$TODAY"
check_rc 2 "photo for a certificate not in the register exits 2"
opcert cred issue "$C4" --db "$DB" --today "$TODAY"
cvj "$(cat "$T/out")"
check_eq "$(jq -r '.claims | has("photo_hash")' "$T/out")" false "without a photo the claims carry no photo_hash"

# ---------------------------------------------------------------------------
# Batch

PF=$(printf '%s' "$P1" | awk '{ c = substr($0, 30, 1); print substr($0, 1, 29) (c == "A" ? "B" : "A") substr($0, 31) }')
UX=$(url "$P1" https://127.0.0.1.evil.example)
printf '%s\n' "$P1" "$PF" "$UX" >"$T/batch.txt"
cv --batch "$T/batch.txt"
check_rc 1 "cred verify --batch with findings exits 1"
check_eq "$(wc -l <"$T/out" | tr -d ' ')" 3 "--batch prints one JSON line per payload"
check_eq "$(jq -r .verdict "$T/out" 2>/dev/null | tr '\n' ' ')" "valid forged unofficial_link " \
	"--batch gives the verdicts in order"
check_eq "$(sed -n 3p "$T/out" | jq -r .host)" "127.0.0.1.evil.example" "--batch names the unofficial host"
cp "$T/out" "$T/batch.ref"
printf '%s\r\n\r\n%s\r\n\n%s\r\n' "$P1" "$PF" "$UX" >"$T/batch-crlf.txt"
cv --batch "$T/batch-crlf.txt"
check_rc 1 "--batch with CRLF and blank lines exits 1"
check_files_same "$T/out" "$T/batch.ref" "--batch with CRLF and blank lines gives the same lines"
printf '%s\n%s\n' "$P1" "$U1" >"$T/batch-ok.txt"
cv --batch "$T/batch-ok.txt"
check_rc 0 "--batch of valid credentials exits 0"
check_eq "$(jq -r .verdict "$T/out" 2>/dev/null | tr '\n' ' ')" "valid valid " "--batch of two valid lines"
cv --batch "$T/missing.txt"
check_rc 2 "--batch of a missing file exits 2"

# ---------------------------------------------------------------------------
# Lifecycle seen through a credential

cvj "$P3"
expect valid 0 "$C3 before suspension"
opcert suspend "$C3" --reason "现场检查发现违规" --db "$DB" --today "$TODAY"
check_rc 0 "suspend exits 0"
cvj "$P3"
expect suspended 1 "online after suspension"
cv "$P3"
expect_text suspended 1 "online after suspension"
opcert status export "$T/status-s.json" --db "$DB" --today "$TODAY"
cvj "$P3" --offline --trust "$T/trust.json" --status "$T/status-s.json"
expect suspended 1 "offline with a status list exported after suspension"
cvj "$P3" --offline --trust "$T/trust.json" --status "$T/status.json"
expect valid 0 "offline with the status list from before the suspension"
opcert reinstate "$C3" --db "$DB" --today "$TODAY"
check_rc 0 "reinstate exits 0"
cvj "$P3"
expect valid 0 "online after reinstatement"
opcert status export "$T/status-r.json" --db "$DB" --today "$TODAY"
cvj "$P3" --offline --trust "$T/trust.json" --status "$T/status-r.json"
expect valid 0 "offline with a status list exported after reinstatement"

opcert renew "$C3" --valid-until 2036-01-31 --db "$DB" --today "$TODAY"
check_rc 0 "renew exits 0"
cvj "$P3"
expect valid 0 "online after renewal"
check "the online verdict gives the renewed date" jq -e '.message | contains("2036-01-31")' "$T/out"
opcert verify --number "$C3" --name "$C3NAME" --db "$DB" --today "$TODAY"
check_rc 0 "verify after renewal exits 0"
check_out_has "有效期至 2036-01-31" "verify shows the new valid_until"

# A credential issued while the certificate was past its date: expired until
# the renewal, which the register (online) knows and the old credential
# (offline) does not.
opcert cred issue "$XN" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue of the expired $XN exits 0"
PX=$(cat "$T/out")
cvj "$PX"
expect expired 1 "online, a certificate past its date"
opcert renew "$XN" --valid-until 2030-12-31 --db "$DB" --today "$TODAY"
check_rc 0 "renew of $XN exits 0"
cvj "$PX"
expect valid 0 "online after renewing $XN"
opcert status export "$T/status-x.json" --db "$DB" --today "$TODAY"
cvj "$PX" --offline --trust "$T/trust.json" --status "$T/status-x.json"
expect expired 1 "offline, the old credential still carries the old date"
opcert cred issue "$XN" --db "$DB" --today "$TODAY"
PX2=$(cat "$T/out")
cvj "$PX2" --offline --trust "$T/trust.json" --status "$T/status-x.json"
expect valid 0 "offline, the re-issued credential of $XN"
check_eq "$(jq -r .claims.valid_until "$T/out")" 2030-12-31 "the re-issued credential carries the new date"
opcert verify --number "$XN" --name "$XNAME" --db "$DB" --today "$TODAY"
check_out_has "有效期至 2030-12-31" "verify shows $XN's new valid_until"
opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "log verify after the lifecycle exits 0"

# ---------------------------------------------------------------------------
# Bad input

cv
check_rc 2 "cred verify with no input exits 2"
check_err_nonempty "cred verify with no input says why"
cv "$P1" --image "$T/q.png"
check_rc 2 "a payload and --image together exit 2"
cv "$P1" "$P1"
check_rc 2 "two payloads exit 2"
cv --image "$T/q.png" --batch "$T/batch.txt"
check_rc 2 "--image and --batch together exit 2"
cv "$P1" --offline
check_rc 2 "--offline without --trust exits 2"
check_err_has "--trust" "--offline without --trust names --trust"
cv "$P1" --format xml
check_rc 2 "--format xml exits 2"
cvj "this is not a credential"
expect forged 1 "garbage text"
cvj "OC1:"
check_rc 1 "a bare OC1: prefix exits 1"
cvj "OC1:0123456789ABCDEF"
expect forged 1 "a short Base45 string"
cv --image "$T/text.jpg"
check_rc 2 "--image of a text file exits 2"
check_err_nonempty "--image of a text file says why"
cv --image "$T/empty.jpg"
check_rc 2 "--image of an empty file exits 2"
cv --image "$T/missing.png"
check_rc 2 "--image of a missing file exits 2"
cv "$P1" --status "$T/text.jpg" --offline --trust "$T/trust.json"
check_rc 2 "--status of a file that is no status list exits 2"
cv "$P1" --trust "$T/text.jpg"
check_rc 2 "--trust of a file that is no trust list exits 2"
LONG=$(head -c 20000 /dev/zero | tr '\0' A)
for s in "$LONG" "OC1:$LONG" "http://$HOST/v#OC1:$LONG"; do
	cvj "$s"
	case $RC in
	1) check_eq "$(verdict)" forged "a 20 KB line: forged" ;;
	2) check_err_nonempty "a 20 KB line: exit 2 with a message" ;;
	*) fail "a 20 KB line: exit 1 or 2" "got $RC" ;;
	esac
done
printf '%s\n' "OC1:$LONG" >"$T/long.txt"
cv --batch "$T/long.txt"
case $RC in
1 | 2) pass ;;
*) fail "--batch with a 20 KB line: exit 1 or 2" "got $RC" ;;
esac

opcert cred issue 黔A012020999999 --db "$DB" --today "$TODAY"
check_rc 2 "cred issue of a number not in the register exits 2"
check_out_empty "cred issue of an unknown number prints no payload"
opcert cred issue --db "$DB" --today "$TODAY"
check_rc 2 "cred issue without a number exits 2"
opcert cred issue "$C1" --keys "$T/nokeys" --db "$DB" --today "$TODAY"
check_rc 2 "cred issue without keys exits 2"
check_err_has "opcert key init" "cred issue without keys says how to make them"
opcert cred --db "$DB"
check_rc 2 "cred without a subcommand exits 2"
# A register without an official host.
opcert demo --certificates 50 --roster 5 --today "$TODAY" --out "$T/demo2" --db "$T/nohost.db" --import
opcert key init --db "$T/nohost.db" --today "$TODAY"
opcert cred issue "$C1" --db "$T/nohost.db" --today "$TODAY"
check_rc 2 "cred issue without an official host exits 2"
check_err_has "official-host" "cred issue without an official host says how to set it"
opcert config set official-host "$HOST/x" --db "$T/nohost.db" --today "$TODAY"
check_rc 2 "config set official-host with a path exits 2"
opcert config set official-host "evil.example:99999" --db "$T/nohost.db" --today "$TODAY"
check_rc 2 "config set official-host with a bad port exits 2"

opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "log verify at the end exits 0"

finish
