# t_cred_sm2.sh - SM2 (with SM3) issuing keys and credentials: `key rotate
# --alg sm2`, the key files and keys.json, the trust list and status list
# naming SM2, issuing and verifying an SM2 credential online and offline,
# a credential signed with the old Ed25519 key still valid after the
# rotation, forgeries (changed bytes, the algorithm swapped), the signature
# checked independently with the openssl command line, backup and restore,
# and bad --alg values.
#
# Needs sqlite3, jq, perl (with Compress::Zlib) and openssl.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/cli/credlib.sh"

HOST=127.0.0.1:8080
KEYS=$T/keys

if ! perl -MCompress::Zlib -MMIME::Base64 -e 1 >/dev/null 2>&1; then
	die "perl with Compress::Zlib and MIME::Base64 is needed"
fi

opcert init --official-host "$HOST" --db "$DB" --today "$TODAY"
[ "$RC" -eq 0 ] || die "init --official-host failed: $(head -c 300 "$T/err")"
opcert demo --certificates 200 --roster 10 --today "$TODAY" --out "$DEMO" --db "$DB" --import
[ "$RC" -eq 0 ] || die "opcert demo --import failed: $(head -c 300 "$T/err")"
opcert key init --db "$DB" --today "$TODAY"
[ "$RC" -eq 0 ] || die "key init failed: $(head -c 300 "$T/err")"

valid_construction 4

# cose_op PAYLOAD OP: the payload with its COSE message changed and
# re-encoded (so zlib's checksum does not catch it).  OP is a byte offset
# (from the end when negative) to XOR with 1, "none", "edalg" (the SM2
# algorithm in the protected header replaced by EdDSA's -8), or "dump DIR"
# (write the Sig_structure and the signature's DER form to DIR/tbs and
# DIR/sig.der, for openssl).
cose_op() {
	perl -MCompress::Zlib -e '
		my ($p, $op, $dir) = @ARGV;
		my $A = q{0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:};
		my %v;
		my $i = 0;
		$v{$_} = $i++ for split //, $A;
		$p =~ s/^OC1://;
		my @c = map { $v{$_} } split //, $p;
		my $b = "";
		while (@c >= 3) {
			$b .= pack "n", $c[0] + 45 * $c[1] + 2025 * $c[2];
			splice @c, 0, 3;
		}
		$b .= chr($c[0] + 45 * $c[1]) if @c == 2;
		my $m = uncompress($b);
		defined $m or die "not a zlib stream\n";
		# d2 84 <bstr protected> a0 <bstr payload> 58 40 <signature>
		my $pos = 2;
		my $bstr = sub {
			my $h = ord substr($m, $pos, 1);
			my $n = $h & 0x1f;
			my $w = $n < 24 ? 0 : $n == 24 ? 1 : $n == 25 ? 2 : die "long bstr\n";
			$n = $w ? unpack($w == 1 ? "C" : "n", substr($m, $pos + 1, $w)) : $n;
			my $s = substr($m, $pos, 1 + $w + $n);
			$pos += 1 + $w + $n;
			return $s;
		};
		my $prot = $bstr->();
		$pos++;    # a0
		my $pay = $bstr->();
		my $sig = substr($bstr->(), 2);
		if ($op eq "dump") {
			my $tbs = "\x84\x6aSignature1" . $prot . "\x40" . $pay;
			my $int = sub {
				my $x = shift;
				$x =~ s/^\x00+//;
				$x = "\x00$x" if ord($x) >= 0x80;
				return "\x02" . chr(length $x) . $x;
			};
			my $seq = $int->(substr($sig, 0, 32)) . $int->(substr($sig, 32));
			open my $f, ">", "$dir/tbs" or die;
			binmode $f;
			print $f $tbs;
			close $f;
			open $f, ">", "$dir/sig.der" or die;
			binmode $f;
			print $f "\x30" . chr(length $seq) . $seq;
			close $f;
			exit 0;
		} elsif ($op eq "edalg") {
			$m =~ s/^\xd2\x84\x51\xa2\x01\x3a\x00\x01\x00\x00/\xd2\x84\x4d\xa2\x01\x27/ or die "no SM2 header\n";
		} elsif ($op ne "none") {
			$op += length $m if $op < 0;
			substr($m, $op, 1) = chr(ord(substr($m, $op, 1)) ^ 1);
		}
		my @z = unpack "C*", compress($m, 9);
		my $o = "";
		while (@z >= 2) {
			my $n = 256 * $z[0] + $z[1];
			splice @z, 0, 2;
			$o .= substr($A, $n % 45, 1) . substr($A, int($n / 45) % 45, 1) . substr($A, int($n / 2025), 1);
		}
		$o .= substr($A, $z[0] % 45, 1) . substr($A, int($z[0] / 45), 1) if @z;
		print "OC1:$o\n";' "$@"
}

# ---------------------------------------------------------------------------
# Before: an Ed25519 credential.

C1=$(num 1)
C2=$(num 2)
issue "$C1" --db "$DB"
PED=$PAYLOAD
cvj "$PED"
expect valid 0 "the Ed25519 credential of $C1"
KIDED=$(jq -r .kid "$T/out")

# ---------------------------------------------------------------------------
# Bad --alg values

opcert key rotate --alg rsa --db "$DB" --today "$TODAY"
check_rc 2 "key rotate --alg rsa: exit 2"
check_err_has "ed25519 或 sm2" "key rotate --alg rsa names the algorithms"
opcert key list --alg sm2 --db "$DB" --today "$TODAY"
check_rc 2 "key list --alg: exit 2"
check_eq "$(jq '.keys | length' "$KEYS/keys.json")" 3 "bad --alg values changed no key"

# ---------------------------------------------------------------------------
# Rotate to SM2

opcert key rotate --alg sm2 --db "$DB" --today "$TODAY"
check_rc 0 "key rotate --alg sm2 exits 0"
check_out_has "SM2" "key rotate says the new key is SM2"
KIDSM=$(jq -r '.keys[] | select(.role == "issuing" and .not_after == null) | .kid' "$KEYS/keys.json")
check_eq "$(jq -r ".keys[] | select(.kid == \"$KIDSM\") | .alg" "$KEYS/keys.json")" SM2 "keys.json: the current issuing key is SM2"
check_eq "$(jq -r ".keys[] | select(.kid == \"$KIDSM\") | .pk | length" "$KEYS/keys.json")" 87 "keys.json: its pk is 65 bytes in base64url"
check_eq "$(jq -r '.keys[] | select(.role != "issuing") | .alg' "$KEYS/keys.json" | sort -u)" Ed25519 "the root and the log key stay Ed25519"
check_eq "$(wc -c <"$KEYS/issuing-$KIDSM.key" | tr -d ' ')" 185 "the SM2 key file has 185 bytes"
check_eq "$(od -An -tx1 -j9 -N1 "$KEYS/issuing-$KIDSM.key" | tr -d ' ')" 02 "the key file's algorithm byte is 2"
check "the retired Ed25519 key file is deleted" test ! -e "$KEYS/issuing-$KIDED.key"
# the key id is the first 8 bytes of SHA-256 of the 65-byte point
PKHEX=$(jq -r ".keys[] | select(.kid == \"$KIDSM\") | .pk" "$KEYS/keys.json" |
	perl -MMIME::Base64 -ne 'chomp; tr{-_}{+/}; print unpack("H*", decode_base64($_))')
check_eq "$(printf '%s' "$PKHEX" | cut -c1-2)" 04 "the SM2 public key is an uncompressed point"
check_eq "$(printf '%s' "$PKHEX" | perl -ne 'print pack("H*", $_)' | openssl dgst -sha256 -r | cut -c1-16)" \
	"$KIDSM" "the SM2 key id is SHA-256 of its point, first 8 bytes"
opcert key list --db "$DB" --today "$TODAY"
check_rc 0 "key list exits 0"
check_out_has "$KIDSM  SM2" "key list shows the SM2 key"

# ---------------------------------------------------------------------------
# An SM2 credential, online

issue "$C2" --db "$DB"
PSM=$PAYLOAD
case $PSM in
OC1:?*) pass ;;
*) fail "cred issue prints an OC1: payload" ;;
esac
check "the SM2 QR code is at most version 13" sh -c 'v=$(sed -n "s/.*版本 \([0-9][0-9]*\).*/\1/p" "$1" | head -1); test "${v:-99}" -le 13' sh "$T/err"
cvj "$PSM"
expect valid 0 "the SM2 credential of $C2"
check_eq "$(jq -r .kid "$T/out")" "$KIDSM" "it names the SM2 key"
check_eq "$(jq -r .claims.number "$T/out")" "$C2" "its signed number"
cvj "$PED"
expect valid 0 "the Ed25519 credential signed before the rotation"
R=$(cose_op "$PSM" none)
cvj "$R"
expect valid 0 "the SM2 payload decoded and re-encoded unchanged (control)"

# ---------------------------------------------------------------------------
# Offline: the trust list lists the SM2 key; the status list is signed with it

opcert trust export "$T/trust.json" --db "$DB" --today "$TODAY"
check_rc 0 "trust export exits 0"
jq -r .payload "$T/trust.json" | perl -MMIME::Base64 -ne 'chomp; tr{-_}{+/}; print decode_base64($_)' >"$T/trust-inner.json"
check_eq "$(jq -r ".keys[] | select(.kid == \"$KIDSM\") | .alg" "$T/trust-inner.json")" SM2 "the trust list names the SM2 key's algorithm"
check_eq "$(jq -r ".keys[] | select(.kid == \"$KIDED\") | .alg" "$T/trust-inner.json")" Ed25519 "and keeps the retired Ed25519 key"
check_eq "$(jq -r .alg "$T/trust.json")" Ed25519 "the root signs the trust list with Ed25519"
opcert status export "$T/status.json" --db "$DB" --today "$TODAY"
check_rc 0 "status export exits 0"
check_eq "$(jq -r .alg "$T/status.json")" SM2 "the status list is signed with the SM2 issuing key"
check_eq "$(jq -r .kid "$T/status.json")" "$KIDSM" "the status list names the SM2 key"
OFF="--offline --trust $T/trust.json --status $T/status.json --official-host $HOST --db $T/none.db --keys $T/nokeys"
# shellcheck disable=SC2086
opcert cred verify "$PSM" $OFF --today "$TODAY" --format json
expect valid 0 "the SM2 credential offline"
# shellcheck disable=SC2086
opcert cred verify "$PED" $OFF --today "$TODAY" --format json
expect valid 0 "the Ed25519 credential offline, after the rotation"
# a status list with one changed signature byte is refused
perl -e 'local $/; $_ = <STDIN>; s/("signature"\s*:\s*"[^"]{10})(.)/$1 . ($2 eq "A" ? "B" : "A")/e or die; print' \
	<"$T/status.json" >"$T/status-bad.json"
opcert cred verify "$PSM" --offline --trust "$T/trust.json" --status "$T/status-bad.json" \
	--official-host "$HOST" --db "$T/none.db" --keys "$T/nokeys" --today "$TODAY" --format json
check_rc 2 "an SM2 status list with a changed signature is refused: exit 2"

# ---------------------------------------------------------------------------
# Forgeries

LEN=${#PSM}
for pos in 6 40 150 $((LEN - 1)); do
	F=$(printf '%s' "$PSM" | awk -v p="$pos" '{ c = substr($0, p, 1)
		print substr($0, 1, p - 1) (c == "A" ? "B" : "A") substr($0, p + 1) }')
	cvj "$F"
	expect forged 1 "SM2: character $pos of $LEN changed"
done
# COSE bytes: d2 84 51 a2 01 3a 00 01 00 00 04 48 <kid 8> a0 58 nn <claims> 58 40 <r || s>.
for off in 30 60 -70 -64 -33 -32 -1; do
	cvj "$(cose_op "$PSM" "$off")"
	expect forged 1 "SM2: COSE byte $off changed"
	expect_msg "签名无效" "SM2: COSE byte $off changed: the signature is bad"
	# shellcheck disable=SC2086
	opcert cred verify "$(cose_op "$PSM" "$off")" $OFF --today "$TODAY" --format json
	expect forged 1 "SM2 offline: COSE byte $off changed"
done
cvj "$(cose_op "$PSM" 12)"
expect forged 1 "SM2: the first byte of the key id changed"
cvj "$(cose_op "$PSM" edalg)"
expect forged 1 "SM2 signature labelled EdDSA"
expect_msg "算法" "SM2 labelled EdDSA: the message names the algorithm"

# ---------------------------------------------------------------------------
# The signature checked by the openssl command line: SM3, the default ID,
# the public key from the trust list

mkdir -p "$T/ossl"
cose_op "$PSM" dump "$T/ossl"
{
	printf '3059301306072a8648ce3d020106082a811ccf5501822d034200'
	printf '%s' "$PKHEX"
} | perl -ne 'print pack("H*", $_)' >"$T/ossl/pub.der"
run openssl pkeyutl -verify -pubin -inkey "$T/ossl/pub.der" -keyform DER -rawin -digest sm3 \
	-pkeyopt distid:1234567812345678 -in "$T/ossl/tbs" -sigfile "$T/ossl/sig.der"
check_rc 0 "openssl verifies the SM2 credential's signature over its Sig_structure"
printf 'x' >>"$T/ossl/tbs"
run openssl pkeyutl -verify -pubin -inkey "$T/ossl/pub.der" -keyform DER -rawin -digest sm3 \
	-pkeyopt distid:1234567812345678 -in "$T/ossl/tbs" -sigfile "$T/ossl/sig.der"
check_rc 1 "openssl refuses it over other bytes"

# ---------------------------------------------------------------------------
# Rotation keeps the algorithm unless told; backup and restore

opcert key rotate --db "$DB" --today "$TODAY"
check_rc 0 "key rotate without --alg exits 0"
check_out_has "SM2" "key rotate without --alg keeps SM2"
check_eq "$(jq '[.keys[] | select(.alg == "SM2")] | length' "$KEYS/keys.json")" 2 "two SM2 keys are listed"
cvj "$PSM"
expect valid 0 "the first SM2 credential after the next rotation"
printf '备份口令\n' >"$T/bpass"
opcert key backup "$T/keys.bak" --backup-passphrase-file "$T/bpass" --db "$DB" --today "$TODAY"
check_rc 0 "key backup with SM2 keys exits 0"
opcert key restore "$T/keys.bak" --backup-passphrase-file "$T/bpass" --keys "$T/restored" --today "$TODAY"
check_rc 0 "key restore exits 0"
check_files_same "$KEYS/keys.json" "$T/restored/keys.json"
KIDSM2=$(jq -r '.keys[] | select(.role == "issuing" and .not_after == null) | .kid' "$KEYS/keys.json")
check_files_same "$KEYS/issuing-$KIDSM2.key" "$T/restored/issuing-$KIDSM2.key"
C3=$(num 3)
issue "$C3" --db "$DB" --keys "$T/restored"
cvj "$PAYLOAD" --keys "$T/restored"
expect valid 0 "a credential signed with the restored SM2 key"
check_eq "$(jq -r .kid "$T/out")" "$KIDSM2" "it names the restored key"

# Back to Ed25519: every credential still verifies.
opcert key rotate --alg ed25519 --db "$DB" --today "$TODAY"
check_rc 0 "key rotate --alg ed25519 exits 0"
check_out_has "Ed25519" "key rotate --alg ed25519 says so"
for p in "$PED" "$PSM"; do
	cvj "$p"
	expect valid 0 "a credential after rotating back to Ed25519"
done
C4=$(num 4)
issue "$C4" --db "$DB"
cvj "$PAYLOAD"
expect valid 0 "a new Ed25519 credential"

# key init --alg sm2 makes the first issuing key SM2
opcert key init --alg sm2 --keys "$T/k2" --db "$DB" --today "$TODAY"
check_rc 0 "key init --alg sm2 exits 0"
check_eq "$(jq -r '.keys[] | select(.role == "issuing") | .alg' "$T/k2/keys.json")" SM2 "key init --alg sm2: the issuing key is SM2"
check_eq "$(jq -r '.keys[] | select(.role == "root") | .alg' "$T/k2/keys.json")" Ed25519 "key init --alg sm2: the root stays Ed25519"

finish
