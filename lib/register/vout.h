/*
 * vout.h - verification results as text: the JSON object every interface
 * shares, JSON Lines, CSV for Excel, an aligned table and a summary in the
 * terms of the 附件1 form for people.
 *
 * The JSON object: {"row": N, "number", "name", "verdict", "findings": [...],
 * "mismatched_fields": [...], "message"}; "row" is left out when row <= 0.
 * Findings are listed from most to least serious.
 */
#ifndef OPCERT_VOUT_H
#define OPCERT_VOUT_H

#include <jansson.h>
#include <stdio.h>

#include "roster.h"
#include "verify.h"

json_t *vout_json(const struct vresult *r, long row);
int vout_jsonl(FILE *f, const struct vresult *r, long row);

void vout_csv_header(FILE *f);
void vout_csv_row(FILE *f, const struct vresult *r, long row);

void vout_table_header(FILE *f);
void vout_table_row(FILE *f, const struct vresult *r, long row);
void vout_summary(FILE *f, const struct roster_summary *s);

/* The result of one `opcert verify`, for a person. */
void vout_text(FILE *f, const struct vresult *r);

/*
 * Building JSON text by hand where a tree would cost too much: append the
 * quoted string s (valid UTF-8), escaped byte for byte as jansson escapes
 * it (jsonw_escape), or the literal text s to out at offset n; returns the
 * new offset.  Nothing is written past size; a caller sizes out for the
 * worst case (every byte escaped to six).
 */
size_t vout_json_str(char *out, size_t size, size_t n, const char *s);
size_t vout_json_lit(char *out, size_t size, size_t n, const char *s);

/* Columns a UTF-8 string takes in a terminal (CJK = 2). */
size_t vout_width(const char *s);

#endif
