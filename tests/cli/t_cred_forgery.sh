# t_cred_forgery.sh - every forgery of a signed credential, each caught with
# its verdict and exit status 1: changed characters and bytes, another
# database's keys, a key used after its retirement, a backdated credential
# (caught online only), a revoked certificate, a stale status list offline,
# a register row changed behind the system's back, look-alike links and a
# QR image that holds one.
#
# Needs sqlite3, jq, perl (with Compress::Zlib) and openssl (Ed25519, to
# sign a status list with an old issue time: `opcert status export` always
# dates a list now).
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/cli/credlib.sh"

HOST=127.0.0.1:8080
KEYS=$T/keys

if ! perl -MCompress::Zlib -MMIME::Base64 -e 1 >/dev/null 2>&1; then
	die "perl with Compress::Zlib and MIME::Base64 is needed"
fi

# setup DB: a register with an official host, the demo data and keys.
setup() {
	opcert init --official-host "$HOST" --db "$1" --today "$TODAY"
	[ "$RC" -eq 0 ] || die "init --official-host failed: $(head -c 300 "$T/err")"
	opcert demo --certificates 200 --roster 10 --today "$TODAY" --out "$(dirname "$1")/demo" \
		--db "$1" --import
	[ "$RC" -eq 0 ] || die "opcert demo --import failed: $(head -c 300 "$T/err")"
	opcert key init --db "$1" --today "$TODAY"
	[ "$RC" -eq 0 ] || die "key init failed: $(head -c 300 "$T/err")"
}
setup "$DB"

valid_construction 8
name_of() {
	field 2 "$(sed -n "$1p" "$T/valid.txt")"
}

entries() {
	db_count "$DB" log_entry
}

url() {
	printf '%s/v#%s' "${2:-http://$HOST}" "$(printf '%s' "$1" | sed 's/%/%25/g; s/ /%20/g')"
}

# checkpoint the WAL so that the database file can be copied alone.
flush_db() {
	sqlite3 "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null || die "sqlite3 cannot open $1"
}

C1=$(num 1)
issue "$C1" --db "$DB"
P1=$PAYLOAD
cvj "$P1"
expect valid 0 "the genuine credential of $C1"
KID1=$(jq -r .kid "$T/out")
opcert trust export "$T/trust.json" --db "$DB" --today "$TODAY"
check_rc 0 "trust export exits 0"
opcert status export "$T/status.json" --db "$DB" --today "$TODAY"
check_rc 0 "status export exits 0"

# ---------------------------------------------------------------------------
# One changed character of the payload, at several places

LEN=${#P1}
for pos in 5 6 7 20 77 150 200 $((LEN - 1)) "$LEN"; do
	F=$(printf '%s' "$P1" | awk -v p="$pos" '{ c = substr($0, p, 1)
		print substr($0, 1, p - 1) (c == "A" ? "B" : "A") substr($0, p + 1) }')
	check_ne "$F" "$P1" "the payload with character $pos changed differs"
	cvj "$F"
	expect forged 1 "character $pos of $LEN changed"
	check_eq "$(jq -r 'has("claims")' "$T/out")" false "character $pos changed: no claims are shown"
done
cv "$(printf '%s' "$P1" | sed 's/^OC1:\(.\)/OC1:\1\1/')"
check_rc 1 "one character inserted (text): exit 1"
check_out_has "（forged）" "one character inserted (text): forged"
cvj "$(printf '%s' "$P1" | sed 's/.$//')"
expect forged 1 "the last character cut off"
cvj "$(url "$(printf '%s' "$P1" | awk '{ print substr($0, 1, 99) (substr($0, 100, 1) == "A" ? "B" : "A") substr($0, 101) }')")"
expect forged 1 "a changed character in the official URL form"
cvj "OC1:$(printf '%s' "$P1" | cut -c5- | awk '{ r = ""; for (i = length($0); i > 0; i--) r = r substr($0, i, 1); print r }')"
expect forged 1 "the Base45 text reversed"

# One changed byte of the signed COSE message, re-compressed and re-encoded
# so that zlib's checksum does not catch it: the signature must.
#
# cose_flip PAYLOAD OFFSET: the payload with the COSE byte at OFFSET (from
# the end when negative) XOR 1; OFFSET "none" re-encodes without a change.
cose_flip() {
	perl -MCompress::Zlib -e '
		my ($p, $off) = @ARGV;
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
		if ($off ne "none") {
			$off += length $m if $off < 0;
			substr($m, $off, 1) = chr(ord(substr($m, $off, 1)) ^ 1);
		}
		my @z = unpack "C*", compress($m, 9);
		my $o = "";
		while (@z >= 2) {
			my $n = 256 * $z[0] + $z[1];
			splice @z, 0, 2;
			$o .= substr($A, $n % 45, 1) . substr($A, int($n / 45) % 45, 1) . substr($A, int($n / 2025), 1);
		}
		$o .= substr($A, $z[0] % 45, 1) . substr($A, int($z[0] / 45), 1) if @z;
		print "OC1:$o\n";' "$1" "$2"
}
R=$(cose_flip "$P1" none)
cvj "$R"
expect valid 0 "the payload decoded and re-encoded unchanged (control)"
# COSE bytes: d2 84 4d a2 01 27 04 48 <kid 8> a0 58 nn <claims> 58 40 <signature 64>.
cvj "$(cose_flip "$P1" 5)"
expect forged 1 "the algorithm byte changed"
expect_msg "算法" "the algorithm byte changed: the message names the algorithm"
cvj "$(cose_flip "$P1" 8)"
expect forged 1 "the first byte of the key id changed"
expect_msg "不在信任列表" "a changed key id: the message says the key is unknown"
for off in 22 40 60 -70; do
	cvj "$(cose_flip "$P1" "$off")"
	expect forged 1 "COSE byte $off (claims) changed"
	expect_msg "签名无效" "COSE byte $off changed: the message says the signature is bad"
done
for off in -64 -30 -1; do
	cvj "$(cose_flip "$P1" "$off")"
	expect forged 1 "COSE byte $off (signature) changed"
	expect_msg "签名无效" "signature byte $off changed: the message says the signature is bad"
done
cvj "$(cose_flip "$P1" 40)" --offline --trust "$T/trust.json" --status "$T/status.json"
expect forged 1 "offline, a changed claims byte"

# A payload made up by hand.
cvj "OC1:NCFOXN%TSMAHO.JTN4HY7/EFZQMMAQLCH*ZEPYHMT0X3F0EEA46NF6OF63363TQYU98DQUQN"
expect forged 1 "a payload made up by hand"

# ---------------------------------------------------------------------------
# Signed by another database's keys

mkdir "$T/other"
ODB=$T/other/demo.db
setup "$ODB"
issue "$C1" --db "$ODB"
PO=$PAYLOAD
opcert cred verify "$PO" --db "$ODB" --today "$TODAY" --format json
expect valid 0 "the other database's credential, at home"
cvj "$PO"
expect forged 1 "a credential signed by another database's key"
expect_msg "不在信任列表" "another database's key is not on the trust list"
check_eq "$(jq -r 'has("claims")' "$T/out")" false "another database's credential: no claims are shown"
cv "$PO"
check_rc 1 "another database's credential (text): exit 1"
check_out_has "（forged）" "another database's credential (text): forged"
cvj "$PO" --offline --trust "$T/trust.json" --status "$T/status.json"
expect forged 1 "offline, another database's credential"
cvj "$(url "$PO")"
expect forged 1 "another database's credential in the official URL form"
opcert trust export "$T/other-trust.json" --db "$ODB" --today "$TODAY"
cvj "$PO" --offline --trust "$T/other-trust.json"
check_rc 2 "a trust list signed by another root is refused against the pinned root: exit 2"
check_out_empty "a trust list of another root gives no verdict"

# ---------------------------------------------------------------------------
# A backdated credential: a copy of the database file (someone who can write
# it, with the issuing key) issues a credential the register never recorded.

C2=$(num 2)
flush_db "$DB"
mkdir "$T/rogue"
cp "$DB" "$T/rogue/demo.db"
issue "$C2" --db "$T/rogue/demo.db" --keys "$KEYS"
PB=$PAYLOAD
opcert cred verify "$PB" --db "$T/rogue/demo.db" --keys "$KEYS" --today "$TODAY" --format json
expect valid 0 "the backdated credential in the copy that recorded it"
cvj "$PB"
expect forged 1 "online, a credential the register never issued"
expect_msg "没有签发过" "online, the message says the register never issued it"
check_eq "$(jq -r .kid "$T/out")" "$KID1" "the backdated credential carries the genuine key id"
cvj "$PB" --offline --trust "$T/trust.json" --status "$T/status.json"
expect valid 0 "offline, the backdated credential's signature is genuine"
check_ne "$(verdict)" forged "offline cannot tell the backdated credential (not forged)"
cvj "$PB" --offline --trust "$T/trust.json"
expect status_unknown 1 "offline without a status list, the backdated credential"
opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "the original's log is untouched by the copy"

# ---------------------------------------------------------------------------
# A revoked certificate

C3=$(num 3)
issue "$C3" --db "$DB"
P3=$PAYLOAD
opcert status export "$T/status-before.json" --db "$DB" --today "$TODAY"
opcert revoke "$C3" --reason "以欺骗手段取得" --db "$DB" --today "$TODAY"
check_rc 0 "revoke exits 0"
opcert status export "$T/status-revoked.json" --db "$DB" --today "$TODAY"
check_rc 0 "status export after the revocation exits 0"
cvj "$P3" --offline --trust "$T/trust.json" --status "$T/status-revoked.json"
expect revoked 1 "offline with a fresh status list, a revoked certificate"
check_eq "$(jq -r .claims.number "$T/out")" "$C3" "the revoked credential's claims are shown"
cv "$P3" --offline --trust "$T/trust.json" --status "$T/status-revoked.json"
check_rc 1 "offline, revoked (text): exit 1"
check_out_has "（revoked）" "offline, revoked (text)"
cvj "$P3"
expect revoked 1 "online, a revoked certificate"
cvj "$(url "$P3")"
expect revoked 1 "online, the URL form of a revoked certificate"
cvj "$P3" --offline --trust "$T/trust.json" --status "$T/status-before.json"
expect valid 0 "offline with the list from before the revocation (control)"
cvj "$P1" --offline --trust "$T/trust.json" --status "$T/status-revoked.json"
expect valid 0 "the same list leaves another certificate valid"
opcert cred issue "$C3" --db "$DB" --today "$TODAY"
check_rc 2 "cred issue of a revoked certificate exits 2"

# ---------------------------------------------------------------------------
# A stale status list offline
#
# `opcert status export` dates the list with the clock (no option sets
# issued_at), so a list 8 days old is signed here with openssl: the issuing
# key's seed is read from its (unencrypted) key file, and the key's period
# is moved 30 days back in a copy of the key store, whose trust list the
# root then signs.

cvj "$P1" --offline --trust "$T/trust.json"
expect status_unknown 1 "offline without a status list"
expect_msg "没有状态列表" "no status list: the message says so"

if command -v openssl >/dev/null 2>&1 && openssl genpkey -algorithm ed25519 >/dev/null 2>&1; then
	NOW=$(date +%s)
	OLDKEYS=$T/oldkeys
	cp -a "$KEYS" "$OLDKEYS"
	jq --argjson t $((NOW - 30 * 86400)) '(.keys[] | select(.role == "issuing") | .created, .not_before) = $t' \
		"$KEYS/keys.json" >"$OLDKEYS/keys.json" || die "jq failed on keys.json"
	chmod 600 "$OLDKEYS/keys.json"
	opcert trust export "$T/trust-old.json" --keys "$OLDKEYS" --db "$DB" --today "$TODAY"
	check_rc 0 "trust export of the back-dated key store exits 0"
	KF=$(ls "$OLDKEYS"/issuing-*.key)
	SKID=$(basename "$KF" .key | sed 's/^issuing-//')
	perl -MMIME::Base64 -e 'local $/; open K, "<", $ARGV[0] or die; binmode K; my $k = <K>;
		print "-----BEGIN PRIVATE KEY-----\n",
		    encode_base64(pack("H*", "302e020100300506032b657004220420") . substr($k, 104, 32)),
		    "-----END PRIVATE KEY-----\n"' "$KF" >"$T/issuing.pem"
	chmod 600 "$T/issuing.pem"
	check_eq "$(openssl pkey -in "$T/issuing.pem" -pubout -outform DER 2>/dev/null | tail -c 32 |
		perl -MMIME::Base64 -e 'local $/; $_ = encode_base64(<STDIN>, ""); tr{+/}{-_}; s/=+$//; print')" \
		"$(jq -r '.keys[] | select(.role == "issuing") | .pk' "$KEYS/keys.json")" \
		"the seed read from the key file gives the issuing public key"

	# status_at ISSUED_AT OUT: the exported status list re-dated and re-signed.
	status_at() {
		perl -MMIME::Base64 -e 'local $/; open F, "<", $ARGV[0] or die; my $j = <F>;
			my ($p) = $j =~ /"payload"\s*:\s*"([^"]*)"/ or die; $p =~ tr{-_}{+/};
			my $d = decode_base64($p); $d =~ s/"issued_at":\d+/"issued_at":$ARGV[1]/ or die;
			binmode STDOUT; print $d' "$T/status-revoked.json" "$1" >"$T/sl.msg" &&
			openssl pkeyutl -sign -rawin -inkey "$T/issuing.pem" -in "$T/sl.msg" -out "$T/sl.sig" &&
			perl -MMIME::Base64 -e 'sub u { my $s = encode_base64($_[0], ""); $s =~ tr{+/}{-_}; $s =~ s/=+$//; $s }
			local $/; open M, "<", $ARGV[0]; binmode M; my $m = <M>; open S, "<", $ARGV[1]; binmode S; my $s = <S>;
			printf "{\"payload\":\"%s\",\"kid\":\"%s\",\"alg\":\"Ed25519\",\"signature\":\"%s\"}\n",
			    u($m), $ARGV[2], u($s)' "$T/sl.msg" "$T/sl.sig" "$SKID" >"$2" ||
			die "cannot sign a status list with openssl"
	}
	status_at $((NOW - 6 * 86400)) "$T/status-6d.json"
	status_at $((NOW - 8 * 86400)) "$T/status-8d.json"
	status_at $((NOW - 29 * 86400)) "$T/status-29d.json"
	oldv() {
		opcert cred verify "$@" --offline --trust "$T/trust-old.json" --keys "$OLDKEYS" \
			--db "$DB" --today "$TODAY" --format json
	}
	oldv "$P1" --status "$T/status-6d.json"
	expect valid 0 "offline, a status list 6 days old (control)"
	oldv "$P3" --status "$T/status-6d.json"
	expect revoked 1 "offline, the 6-day-old list says $C3 is revoked (control)"
	oldv "$P1" --status "$T/status-8d.json"
	expect status_unknown 1 "offline, a status list 8 days old"
	expect_msg "超过7天" "a stale list: the message names the allowed age"
	oldv "$P1" --status "$T/status-29d.json"
	expect status_unknown 1 "offline, a status list 29 days old"
	oldv "$P1" --status "$T/status-8d.json" --status-max-age 10
	expect valid 0 "offline, a list 8 days old with --status-max-age 10"
	oldv "$P1" --status "$T/status-29d.json" --status-max-age 10
	expect status_unknown 1 "offline, a list 29 days old with --status-max-age 10"
	oldv "$P3" --status "$T/status-8d.json"
	check_rc 1 "offline, a stale list and a revoked certificate: exit 1"
	check_ne "$(verdict)" valid "a stale list never gives a silent valid"
	opcert cred verify "$P1" --offline --trust "$T/trust.json" --status "$T/status-8d.json" \
		--db "$DB" --today "$TODAY" --format json
	check_rc 2 "a status list dated before its key's period is refused: exit 2"
else
	echo "SKIP: no openssl with Ed25519: the stale status list is not tested"
fi

# ---------------------------------------------------------------------------
# A register row changed behind the system's back (plain SQL on a copy)

C4=$(num 4)
issue "$C4" --db "$DB"
P4=$PAYLOAD
C5=$(num 5)
C5NAME=$(name_of 5)
issue "$C5" --db "$DB"
P5=$PAYLOAD
opcert revoke "$C5" --reason "违规操作" --db "$DB" --today "$TODAY"
check_rc 0 "revoke of $C5 exits 0"
flush_db "$DB"
TDB=$T/tampered.db
cp "$DB" "$TDB"
sqlite3 "$TDB" "update certificate set name = '冒名顶替' where number = '$C4';
	update certificate set status = 0 where number = '$C5'" || die "SQL failed on the copy"
tv() {
	opcert cred verify "$@" --db "$TDB" --today "$TODAY" --format json
}
tv "$P4"
expect tampered 1 "online, a row whose name was changed with SQL"
tv "$P5"
expect tampered 1 "online, a revoked row made valid again with SQL"
check_ne "$(verdict)" valid "an un-revoked row is never valid"
tv "$P1"
expect valid 0 "an untouched row of the tampered register (control)"
opcert verify --number "$C4" --name "冒名顶替" --db "$TDB" --today "$TODAY" --format json
expect tampered 1 "verify of the row whose name was changed"
opcert verify --number "$C5" --name "$C5NAME" --db "$TDB" --today "$TODAY" --format json
expect tampered 1 "verify of the row made valid again"
printf '姓名,性别,身份证号码,工种,证书编号\n冒名顶替,%s,%s,%s,%s\n' \
	"$(field 3 "$(sed -n 4p "$T/valid.txt")")" "$(field 4 "$(sed -n 4p "$T/valid.txt")")" \
	"$(field 5 "$(sed -n 4p "$T/valid.txt")")" "$C4" >"$T/roster.csv"
opcert verify-roster "$T/roster.csv" --format jsonl --db "$TDB" --today "$TODAY"
expect tampered 1 "verify-roster of the row whose name was changed"
opcert log verify --db "$TDB" --today "$TODAY"
check_rc 1 "log verify of the tampered register exits 1"
check_out_has "$C4" "log verify names the row whose name was changed"
check_out_has "$C5" "log verify names the row made valid again"
opcert cred verify "$P4" --db "$DB" --today "$TODAY" --format json
expect valid 0 "the original register still says valid"
opcert verify-roster "$T/roster.csv" --format jsonl --db "$DB" --today "$TODAY"
expect mismatch 1 "verify-roster of the same roster against the original: mismatch"

cp "$DB" "$T/deleted.db"
sqlite3 "$T/deleted.db" "delete from certificate where number = '$C4'" || die "SQL failed on the copy"
opcert cred verify "$P4" --db "$T/deleted.db" --today "$TODAY" --format json
expect tampered 1 "online, a credential whose register row was deleted with SQL"

# The credential table, which the online check consults, changed with SQL:
# (a) a backdated credential's record copied in from the database copy that
# issued it, (b) the record of a revoked certificate's credential pointed at
# another, valid certificate, (c) a revoked certificate moved to another
# status-list slot before the list is exported.  Its issuance is still not
# in the log, its status still revoked; log verify must see each change.
flush_db "$T/rogue/demo.db"
cp "$DB" "$T/credrow.db"
sqlite3 "$T/credrow.db" "attach '$T/rogue/demo.db' as r;
	insert into credential (number, kid, iat, hash, log_index)
	select number, kid, iat, hash, log_index from r.credential where number = '$C2'" ||
	die "SQL failed on the copy"
opcert cred verify "$PB" --db "$T/credrow.db" --today "$TODAY" --format json
expect forged 1 "online, a backdated credential whose record was inserted with SQL"
opcert log verify --db "$T/credrow.db" --today "$TODAY"
check_rc 1 "log verify of a credential record inserted with SQL exits 1"

cp "$DB" "$T/credrow2.db"
sqlite3 "$T/credrow2.db" "update credential set number = '$C1' where number = '$C5'" ||
	die "SQL failed on the copy"
opcert cred verify "$P5" --db "$T/credrow2.db" --today "$TODAY" --format json
check_rc 1 "online, a revoked certificate's credential record re-pointed with SQL: exit 1"
check_ne "$(verdict)" valid "a revoked certificate's credential never verifies valid"
check_eq "$(jq -r .claims.number "$T/out")" "$C5" "the credential shown is still $C5's"
opcert log verify --db "$T/credrow2.db" --today "$TODAY"
check_rc 1 "log verify of a credential record re-pointed with SQL exits 1"

cp "$DB" "$T/slot.db"
sqlite3 "$T/slot.db" "update status_slot set slot = slot + 1 where number = '$C5'" ||
	die "SQL failed on the copy"
opcert log verify --db "$T/slot.db" --today "$TODAY"
check_rc 1 "log verify of a status-list slot moved with SQL exits 1"
opcert status export "$T/status-slot.json" --db "$T/slot.db" --today "$TODAY"
if [ "$RC" -eq 0 ]; then
	cvj "$P5" --offline --trust "$T/trust.json" --status "$T/status-slot.json"
	check_rc 1 "offline, a list exported after the slot was moved: exit 1"
	check_ne "$(verdict)" valid "offline, the revoked $C5 is never valid"
else
	check_rc 2 "status export refuses a moved slot with an input error"
fi

# An amendment made in the open is no tampering.
opcert amend "$C4" --field name --value "唐更正" --reason "录入错误" --db "$DB" --today "$TODAY"
check_rc 0 "amend of $C4 exits 0"
cvj "$P4"
check_ne "$(verdict)" tampered "an amended row is not tampered"
check_ne "$(verdict)" forged "an amended row's credential is not forged"
opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "log verify after an amendment exits 0"

# ---------------------------------------------------------------------------
# Look-alike links

E1=$(printf '%s' "$P1" | sed 's/%/%25/g; s/ /%20/g')
for u in \
	"https://127.0.0.1.evil.example/v#$E1|127.0.0.1.evil.example" \
	"http://127.0.0.2:8080/v#$E1|127.0.0.2:8080" \
	"http://127.0.0.1:8080@evil.example/v#$E1|evil.example" \
	"http://127.0.0.1:8080.evil.example/v#$E1|127.0.0.1:8080.evil.example" \
	"http://user@127.0.0.1:8080/v#$E1|127.0.0.1:8080" \
	"http://127.0.0.1:8080/verify#$E1|127.0.0.1:8080" \
	"http://127.0.0.1:8080/x/v#$E1|127.0.0.1:8080" \
	"http://127.0.0.1:8080/v?q=1#$E1|127.0.0.1:8080" \
	"http://127.0.0.1:8081/v#$E1|127.0.0.1:8081" \
	"http://127.0.0.1/v#$E1|127.0.0.1" \
	"https://127.0.0.1:8080/v#$E1|127.0.0.1:8080" \
	"http://localhost:8080/v#$E1|localhost:8080" \
	"weixin://127.0.0.1:8080/v#$E1|127.0.0.1:8080" \
	"127.0.0.1:8080/v#$E1|127.0.0.1:8080"; do
	U=${u%|*}
	H=${u##*|}
	cvj "$U"
	expect unofficial_link 1 "link ${U%%#*}"
	check_eq "$(jq -r .host "$T/out")" "$H" "link ${U%%#*}: names the host $H"
	check_eq "$(jq -r 'has("claims")' "$T/out")" false "link ${U%%#*}: nothing of it is decoded"
done
cv "https://127.0.0.1.evil.example/v#$E1"
check_rc 1 "a look-alike link (text): exit 1"
check_out_has "（unofficial_link）" "a look-alike link (text): unofficial_link"
check_out_has "127.0.0.1.evil.example" "a look-alike link (text): names the host"
cvj "https://127.0.0.1.evil.example/v#$E1" --offline --trust "$T/trust.json" --status "$T/status.json"
expect unofficial_link 1 "offline, a look-alike link"
cvj "https://127.0.0.1.evil.example/v#OC1:garbage"
expect unofficial_link 1 "a look-alike link to garbage (unofficial outranks forged)"

# A QR image that holds a look-alike link: issued into a database whose
# official host is the look-alike, verified against the genuine one.
for h in 127.0.0.1.evil.example 127.0.0.2:8080; do
	opcert config set official-host "$h" --db "$ODB" --today "$TODAY"
	check_rc 0 "config set official-host $h exits 0"
	opcert cred issue "$C1" --db "$ODB" --png "$T/evil.png" --today "$TODAY"
	check_rc 0 "cred issue with the official host $h exits 0"
	opcert cred verify --image "$T/evil.png" --db "$ODB" --today "$TODAY" --format json
	expect valid 0 "the look-alike QR against its own database (control)"
	cvj --image "$T/evil.png"
	expect unofficial_link 1 "a QR image of a link to $h"
	check_eq "$(jq -r .host "$T/out")" "$h" "the QR image's host $h is named"
	cv --image "$T/evil.png"
	check_rc 1 "a QR image of a link to $h (text): exit 1"
	check_out_has "$h" "a QR image of a link to $h (text): names the host"
done

# ---------------------------------------------------------------------------
# A credential signed after its key's retirement (a leaked old key)

C6=$(num 6)
issue "$C6" --db "$DB"
P6=$PAYLOAD
cp -a "$KEYS" "$T/keys-before-rotation"
opcert key rotate --db "$DB" --today "$TODAY"
check_rc 0 "key rotate exits 0"
check "the retired key's private file is deleted" test ! -e "$KEYS/issuing-$KID1.key"
opcert key list --db "$DB" --today "$TODAY"
check_eq "$(grep -c '签发密钥' "$T/out")" 2 "key list shows both issuing keys after rotation"
check_eq "$(grep -c '（当前）' "$T/out")" 1 "exactly one issuing key is current"
opcert trust export "$T/trust2.json" --db "$DB" --today "$TODAY"
opcert status export "$T/status2.json" --db "$DB" --today "$TODAY"
# Credentials issued before the rotation stay valid.
cvj "$P1"
expect valid 0 "online, a credential issued before the rotation"
cvj "$P6" --offline --trust "$T/trust2.json" --status "$T/status2.json"
expect valid 0 "offline with the new trust list, a credential issued before the rotation"
check_eq "$(jq -r .kid "$T/out")" "$KID1" "it was signed by the retired key"
issue "$C6" --db "$DB"
cvj "$PAYLOAD"
expect valid 0 "a credential of the new issuing key"
check_ne "$(jq -r .kid "$T/out")" "$KID1" "the new credential carries the new key id"
# The old key, kept in a copy, signs after its retirement.
sleep 1
issue "$C6" --db "$DB" --keys "$T/keys-before-rotation"
PL=$PAYLOAD
cvj "$PL"
expect forged 1 "online, signed by the retired key after its retirement"
expect_msg "有效期" "the message says the key was not current"
check_eq "$(jq -r .kid "$T/out")" "$KID1" "the late credential names the retired key"
cvj "$PL" --offline --trust "$T/trust2.json" --status "$T/status2.json"
expect forged 1 "offline, signed by the retired key after its retirement"
cvj "$(url "$PL")"
expect forged 1 "the URL form of a credential signed after retirement"

# --status-max-age: the list exported at the start is over a second old by
# now (the sleep above).
cvj "$P1" --offline --trust "$T/trust.json" --status "$T/status.json" --status-max-age 0
expect status_unknown 1 "offline, --status-max-age 0 and a list a second old"
cvj "$P1" --offline --trust "$T/trust.json" --status "$T/status.json" --status-max-age 1
expect valid 0 "offline, --status-max-age 1 and a list a second old"
for a in -1 3651 abc 1.5 ""; do
	cvj "$P1" --offline --trust "$T/trust.json" --status "$T/status.json" --status-max-age "$a"
	check_rc 2 "--status-max-age '$a' exits 2"
done

opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "log verify of the genuine register at the end exits 0"

finish
