import asyncio, time, sys
import bench.registers as br
from db.thread import DatabaseThread
T=[0]
def mark(s): print(f"   {(time.perf_counter()-T[0])*1000:6.1f} {s}", file=sys.stderr)
orig=DatabaseThread.call
def call(self, fn, *a, **k):
    def timed(*a, **k):
        mark(f"db start {getattr(fn,'__qualname__',fn)}"); r=fn(*a,**k); mark("db end"); return r
    return orig(self, timed, *a, **k)
DatabaseThread.call=call
import console.screens.grid_pane as gp
from widgets.paged_table import PagedTable
G=gp.GridScreen
oc=G.compose
def compose(self):
    mark("compose"); yield from oc(self); mark("compose end")
G.compose=compose
om=G.on_mount
def on_mount(self, event): mark("mount"); om(self); mark("mount end")
G.on_mount=on_mount
op=PagedTable.on_paged_table__pages
def pages(self, m): mark("pages msg"); op(self, m); mark("pages msg end")
PagedTable.on_paged_table__pages=pages
from console.app import CmdpostApp
oo=CmdpostApp.open_grid
def open_grid(self,*a,**k):
    T[0]=time.perf_counter(); mark("open_grid"); return oo(self,*a,**k)
CmdpostApp.open_grid=open_grid
ofs=br.Frames.first_showing
def fs(self, text, since):
    r=ofs(self,text,since); 
    for at,u in self.updates:
        if at>=since: print(f"   frame {(at-T[0])*1000:6.1f} {type(u).__name__}", file=sys.stderr)
    return r
br.Frames.first_showing=fs
county=br.ensure_county_demo()
r=asyncio.run(br._measure(county, br.biggest_grid(county), "0012"))
print(r)
