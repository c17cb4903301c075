/*
 * sm2.h - SM2 signatures with SM3 (GB/T 32918.2, GM/T 0003 / 0004 / 0009)
 * through OpenSSL 3: the optional second algorithm of issuing keys and
 * credentials.
 *
 * Encodings (docs/CREDENTIAL.md):
 *   public key   the 65-byte uncompressed point 0x04 || x || y
 *   private key  the 32-byte big-endian scalar d, 1 <= d <= n - 2
 *   signature    r || s, each 32 bytes big-endian (64 bytes; OpenSSL's DER
 *                form is converted both ways), 1 <= r, s <= n - 1
 * The signer's distinguishing ID is always the default "1234567812345678"
 * (GM/T 0009), so Z = SM3(ENTL || ID || a || b || xG || yG || x || y) and
 * e = SM3(Z || message).
 *
 * Functions follow err.h; sm2_verify answers 1 / 0 and never fails loudly:
 * a malformed key or signature is just "does not verify".
 */
#ifndef OPCERT_SM2_H
#define OPCERT_SM2_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SM2_PK_LEN  65 /* uncompressed point */
#define SM2_SK_LEN  32 /* the private scalar */
#define SM2_SIG_LEN 64 /* r || s */
#define SM2_ID      "1234567812345678"

/* A fresh key pair: sk (wipe it after use) and its public point. */
int sm2_keygen(uint8_t sk[SM2_SK_LEN], uint8_t pk[SM2_PK_LEN], struct err *e);
/* The public point of sk; -1 (ERR_INPUT) when sk is not a valid scalar. */
int sm2_public(const uint8_t sk[SM2_SK_LEN], uint8_t pk[SM2_PK_LEN], struct err *e);
/* Sign msg with sk (SM3, default ID) into sig (r || s). */
int sm2_sign(const uint8_t sk[SM2_SK_LEN], const uint8_t *msg, size_t len, uint8_t sig[SM2_SIG_LEN],
             struct err *e);
/* 1 when sig (sig_len bytes, must be SM2_SIG_LEN) is a signature of msg under pk
 * (pk_len bytes, must be SM2_PK_LEN and a point of the curve), else 0. */
int sm2_verify(const uint8_t *pk, size_t pk_len, const uint8_t *msg, size_t len, const uint8_t *sig,
               size_t sig_len);
/* OpenSSL's DER form of a signature and back: 0 or -1 (ERR_INPUT when malformed). */
int sm2_sig_from_der(const uint8_t *der, size_t der_len, uint8_t sig[SM2_SIG_LEN], struct err *e);
int sm2_sig_to_der(const uint8_t sig[SM2_SIG_LEN], uint8_t *der, size_t cap, size_t *der_len,
                   struct err *e);

#endif
