module blueshift.local/node-relay

go 1.22
