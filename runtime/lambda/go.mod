module github.com/authgen/authgen/runtime/lambda

go 1.26.0

require github.com/aws/aws-lambda-go v1.55.1

require (
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
