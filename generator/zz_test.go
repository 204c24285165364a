package generator
import ("testing";"os";"path/filepath";"github.com/authgen/authgen/generator/manifest")
func TestDump(t *testing.T){
	m,_:=manifest.New(manifest.Choices{Providers:[]string{"github"},Database:"none",Strategy:"jwt",Token:"signed"})
	files,err:=Generate(Spec{Module:"example.com/myapp",Manifest:m,App:true})
	if err!=nil{t.Fatal(err)}
	for _,f:=range files{ p:=filepath.Join("/tmp/gtest",f.Path); os.MkdirAll(filepath.Dir(p),0o755); os.WriteFile(p,f.Content,0o644)}
}
