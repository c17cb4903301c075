# routes.sh - the route table of src/http/routes.c as the HTTP tests see it,
# sourced by t_http.sh (the OpenAPI document describes every route) and
# t_auth.sh (the authorisation matrix covers every route).  Reading the
# table itself means a route added there is covered by both checks at once.

# table_routes: one line a route, "METHOD PATH PREFIX SCOPE" (SCOPE is the
# scope resolver, or NULL), in the table's order.
table_routes() {
	sed -n 's/^[[:space:]]*{"\([A-Z][A-Z]*\)",[[:space:]]*"\([^"]*\)",[[:space:]]*\([01]\),\([^,]*\),\([^,]*\),\([^,]*\),.*/\1 \2 \3 \6/p' \
		"$OPCERT_SRC/src/http/routes.c" | tr -s ' '
}

# openapi_path PATH PREFIX: the route's key in the OpenAPI document.
openapi_path() {
	if [ "$2" = 1 ]; then
		printf '%s{path}\n' "$1"
	else
		printf '%s\n' "$1"
	fi
}
