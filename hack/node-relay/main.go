// node-relay lets the real node's Pods reach servers that listen on this machine's loopback only
// (Redis, PostgreSQL, the API server): it listens on the Pod bridge's address and relays each
// connection to the same port on 127.0.0.1. Nothing else is reachable through it.
//
//	node-relay -listen 10.244.0.1 -ports 16379,15432
package main

import (
	"flag"
	"io"
	"log"
	"net"
	"strings"
	"sync"
)

func main() {
	listen := flag.String("listen", "", "the bridge address to listen on")
	ports := flag.String("ports", "", "comma-separated ports relayed to 127.0.0.1")
	flag.Parse()
	if *listen == "" || *ports == "" {
		log.Fatal("-listen and -ports are required")
	}
	var wg sync.WaitGroup
	for _, port := range strings.Split(*ports, ",") {
		l, err := net.Listen("tcp", net.JoinHostPort(*listen, port))
		if err != nil {
			log.Fatalf("listen %s:%s: %v", *listen, port, err)
		}
		wg.Add(1)
		go func(l net.Listener, port string) {
			defer wg.Done()
			for {
				c, err := l.Accept()
				if err != nil {
					log.Printf("accept on %s: %v", port, err)
					return
				}
				go relay(c, net.JoinHostPort("127.0.0.1", port))
			}
		}(l, port)
	}
	log.Printf("relaying %s on %s to 127.0.0.1", *ports, *listen)
	wg.Wait()
}

func relay(in net.Conn, to string) {
	defer in.Close()
	out, err := net.Dial("tcp", to)
	if err != nil {
		log.Printf("dial %s: %v", to, err)
		return
	}
	defer out.Close()
	done := make(chan struct{}, 2)
	go func() { io.Copy(out, in); out.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(in, out); in.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	<-done
	<-done
}
