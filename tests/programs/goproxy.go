// Prints what net/http's ProxyFromEnvironment decides for each URL given as an argument, one line each:
// "direct", "proxy SCHEME HOST PORT" or "error". It never opens a connection.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	defaults := map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}
	for _, raw := range os.Args[1:] {
		req, err := http.NewRequest("GET", raw, nil)
		if err != nil {
			fmt.Println("error")
			continue
		}
		u, err := http.ProxyFromEnvironment(req)
		switch {
		case err != nil:
			fmt.Println("error")
		case u == nil:
			fmt.Println("direct")
		default:
			port := u.Port()
			if port == "" {
				port = defaults[u.Scheme]
			}
			fmt.Println("proxy", u.Scheme, u.Hostname(), port)
		}
	}
}
