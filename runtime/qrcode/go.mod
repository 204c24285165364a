module github.com/authgen/authgen/runtime/qrcode

go 1.26.0

require github.com/boombuler/barcode v1.1.0
