// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-ins for kernel services, see kdump-shim.h: counted allocation with
 * failure injection, a small xarray and IDA, string helpers, log messages,
 * and the functions that must not be called on the host.
 */

#include "kdump-shim.h"
#include "arm-smmu-v3.h"
#include "shim.h"

/* Allocation */

long shim_live_allocs;
unsigned long shim_nr_allocs;
unsigned int shim_page_shift = 12;
unsigned int shim_nr_bugs;
static unsigned long fail_at;

void shim_alloc_fail_at(unsigned long nth)
{
	fail_at = nth ? shim_nr_allocs + nth : 0;
}

/* Should the next allocation fail? Counts it either way. */
bool shim_alloc_should_fail(void)
{
	return ++shim_nr_allocs == fail_at;
}

void shim_bug(const char *fmt, ...)
{
	va_list ap;

	shim_nr_bugs++;
	va_start(ap, fmt);
	fprintf(stderr, "shim: BUG: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (shim_alloc_should_fail())
		return NULL;
	if (!size)
		return ZERO_SIZE_PTR;
	p = malloc(size);
	if (!p)
		shim_unreachable("malloc");
	shim_live_allocs++;
	/* Not zeroed, as in the kernel: catch reads of uninitialised memory */
	memset(p, 0xa5, size);
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);

	if (!ZERO_OR_NULL_PTR(p))
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kzalloc(bytes, gfp);
}

void kfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	shim_live_allocs--;
	free((void *)p);
}

static void *shim_realloc(const void *p, size_t size, gfp_t gfp)
{
	void *q;

	if (!size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(size, gfp);
	if (shim_alloc_should_fail())
		return NULL;
	q = realloc((void *)p, size);
	if (!q)
		shim_unreachable("realloc");
	return q;
}

void *krealloc_array(void *p, size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return shim_realloc(p, bytes, gfp);
}

void *kvrealloc(const void *p, size_t size, gfp_t gfp)
{
	return shim_realloc(p, size, gfp);
}

void *kmemdup_array(const void *src, size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;
	void *p;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	p = kmalloc(bytes, gfp);
	if (!ZERO_OR_NULL_PTR(p))
		memcpy(p, src, bytes);
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = kmalloc(len, gfp);
	if (p)
		memcpy(p, s, len);
	return p;
}

/* Strings */

/* The value of digit @c in any base up to 36, or UINT_MAX */
static unsigned int shim_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'z' ? c - 'a' + 10 : ~0U;
}

int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	unsigned int d, n = 0;
	u64 v = 0;

	if (*s == '+')
		s++;
	if (base == 0)
		base = s[0] != '0' ? 10 :
		       tolower(s[1]) == 'x' && shim_digit(s[2]) < 16 ? 16 : 8;
	if (base == 16 && s[0] == '0' && tolower(s[1]) == 'x')
		s += 2;
	for (; (d = shim_digit(*s)) < base; s++, n++)
		if (check_mul_overflow(v, (u64)base, &v) ||
		    check_add_overflow(v, (u64)d, &v))
			return -ERANGE;
	if (!n)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

/* The kernel's: the characters written to @buf, never more than @size - 1 */
int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return (size_t)n >= size ? (int)size - 1 : n;
}

int kstrtou32(const char *s, unsigned int base, u32 *res)
{
	u64 v;
	int ret = kstrtou64(s, base, &v);

	if (ret)
		return ret;
	if (v > U32_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int match_string(const char * const *array, size_t n, const char *string)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!array[i])
			break;
		if (!strcmp(array[i], string))
			return i;
	}
	return -EINVAL;
}

void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap)(void *, void *, int))
{
	if (swap)
		shim_unreachable("sort with a swap function");
	if (num)
		qsort(base, num, size, cmp);
}

/* xarray: a sorted array of (index, entry); allocation may fail */

void xa_init_flags(struct xarray *xa, unsigned int flags)
{
	memset(xa, 0, sizeof(*xa));
	xa->flags = flags;
}

/* The slot of @index, or where it would go */
static unsigned int xa_pos(const struct xarray *xa, unsigned long index)
{
	unsigned int lo = 0, hi = xa->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (xa->slots[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool xa_has(const struct xarray *xa, unsigned int pos,
		   unsigned long index)
{
	return pos < xa->nr && xa->slots[pos].index == index;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	unsigned int pos = xa_pos(xa, index);

	return xa_has(xa, pos, index) ? xa->slots[pos].entry : NULL;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	unsigned int pos = xa_pos(xa, index);
	void *old;

	if (!xa_has(xa, pos, index))
		return NULL;
	old = xa->slots[pos].entry;
	memmove(&xa->slots[pos], &xa->slots[pos + 1],
		(xa->nr - pos - 1) * sizeof(xa->slots[0]));
	xa->nr--;
	if (!xa->nr) {
		kfree(xa->slots);
		xa->slots = NULL;
		xa->max = 0;
	}
	return old;
}

void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		 void *entry, gfp_t gfp)
{
	void *cur = xa_load(xa, index);
	void *ret;

	if (cur != old)
		return cur;
	ret = xa_store(xa, index, entry, gfp);
	return xa_is_err(ret) ? ret : cur;
}

void *shim_bsearch(const void *key, const void *base, size_t num, size_t size,
		   int (*cmp)(const void *key, const void *elt))
{
	const char *p = base;

	while (num) {
		const char *mid = p + (num / 2) * size;
		int c = cmp(key, mid);

		if (!c)
			return (void *)mid;
		if (c > 0) {
			p = mid + size;
			num -= num / 2 + 1;
		} else {
			num /= 2;
		}
	}
	return NULL;
}

unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t gfp)
{
	return kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), gfp);
}

void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	for (; offset < size; offset++)
		if (addr[offset / BITS_PER_LONG] &
		    (1UL << (offset % BITS_PER_LONG)))
			return offset;
	return size;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	unsigned int pos;
	void *old;

	if (!entry)
		return xa_erase(xa, index);
	if (xa_is_err(entry) || ((unsigned long)entry & 3) == 2)
		return xa_mk_internal(-EINVAL);

	pos = xa_pos(xa, index);
	if (xa_has(xa, pos, index)) {
		old = xa->slots[pos].entry;
		xa->slots[pos].entry = entry;
		return old;
	}
	if (xa->nr == xa->max) {
		unsigned int max = xa->max ? xa->max * 2 : 4;
		struct xa_slot *slots;

		slots = krealloc_array(xa->slots, max, sizeof(*slots), gfp);
		if (!slots)
			return xa_mk_internal(-ENOMEM);
		xa->slots = slots;
		xa->max = max;
	}
	memmove(&xa->slots[pos + 1], &xa->slots[pos],
		(xa->nr - pos) * sizeof(xa->slots[0]));
	xa->slots[pos].index = index;
	xa->slots[pos].entry = entry;
	xa->nr++;
	return NULL;
}

int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	if (xa_load(xa, index))
		return -EBUSY;
	return xa_err(xa_store(xa, index, entry, gfp));
}

/* The lowest free index in @limit, as the kernel's allocating xarrays */
int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit,
	     gfp_t gfp)
{
	u64 index;

	for (index = limit.min; index <= limit.max; index++) {
		if (xa_load(xa, index))
			continue;
		*id = index;
		return xa_err(xa_store(xa, index, entry, gfp));
	}
	return -EBUSY;
}

void xa_destroy(struct xarray *xa)
{
	kfree(xa->slots);
	xa->slots = NULL;
	xa->nr = 0;
	xa->max = 0;
}

bool xa_empty(const struct xarray *xa)
{
	return !xa->nr;
}

void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max,
	      void *filter)
{
	unsigned int pos = xa_pos(xa, *index);

	if (pos >= xa->nr || xa->slots[pos].index > max)
		return NULL;
	*index = xa->slots[pos].index;
	return xa->slots[pos].entry;
}

void *xa_find_after(struct xarray *xa, unsigned long *index,
		    unsigned long max, void *filter)
{
	unsigned long next = *index + 1;

	if (!next)
		return NULL;
	*index = next;
	return xa_find(xa, index, max, filter);
}

/* IDA: the lowest free ID, as the kernel's; a bad free is a bug */

int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
		    gfp_t gfp)
{
	unsigned long id = min;
	unsigned int pos = xa_pos(&ida->xa, min);
	int ret;

	if ((int)min < 0)
		return -ENOSPC;
	if ((int)max < 0)
		max = INT_MAX;
	for (; pos < ida->xa.nr && ida->xa.slots[pos].index == id; pos++)
		id++;
	if (id > max)
		return -ENOSPC;
	ret = xa_err(xa_store(&ida->xa, id, XA_PRESENT, gfp));
	return ret ? ret : (int)id;
}

void ida_free(struct ida *ida, unsigned int id)
{
	if (!xa_erase(&ida->xa, id))
		shim_bug("ida_free called for id=%u which is not allocated", id);
}

void ida_destroy(struct ida *ida)
{
	xa_destroy(&ida->xa);
}

bool shim_ida_allocated(struct ida *ida, unsigned int id)
{
	return xa_load(&ida->xa, id);
}

/* Messages and warnings */

unsigned int shim_nr_msgs;

void shim_log(const char *level, const struct device *dev, const char *fmt,
	      ...)
{
	const char *env = getenv("KDUMP_SHIM_LOG");
	va_list ap;

	shim_nr_msgs++;
	if (!env || strcmp(env, "1"))
		return;
	va_start(ap, fmt);
	fprintf(stderr, "[%s] %s: ", level, dev && dev->name ? dev->name : "-");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int shim_warn_on(int cond, const char *expr, const char *file, int line)
{
	if (cond)
		shim_bug("WARN_ON(%s) at %s:%d", expr, file, line);
	return cond;
}

void shim_kunit_assert(const char *expr, const char *func)
{
	fprintf(stderr, "shim: %s: KUNIT_ASSERT(%s) failed\n", func, expr);
	abort();
}

/* Functions that need the real kernel: never called by the host tests */

void shim_unreachable(const char *what)
{
	fprintf(stderr, "shim: %s() must not be called on the host\n", what);
	abort();
}

__attribute__((weak))
void *memremap(resource_size_t offset, size_t size, unsigned long flags)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void memunmap(void *addr)
{ SHIM_UNREACHABLE(); }
/* Weak: the hook tests (test-hooks.c) give the SMMU a memory and a queue */
__attribute__((weak))
void *dmam_alloc_coherent(struct device *dev, size_t size,
			  dma_addr_t *dma_handle, gfp_t gfp)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr,
			dma_addr_t dma_handle)
{ SHIM_UNREACHABLE(); }
/* Weak: the hook tests run arm_smmu_kdump_init_strtab() (test-hooks.c) */
__attribute__((weak))
void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int devm_add_action_or_reset(struct device *dev, void (*action)(void *),
			     void *data)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void *devres_open_group(struct device *dev, void *id, gfp_t gfp)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void devres_release_group(struct device *dev, void *id)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void devres_remove_group(struct device *dev, void *id)
{ SHIM_UNREACHABLE(); }
const char *dev_name(const struct device *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
struct fwnode_handle *dev_fwnode(struct device *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int device_reset(struct device *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
bool dev_is_pci(struct device *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
bool pci_is_bridge(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pci_find_ext_capability(struct pci_dev *dev, int cap)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pci_try_reset_function(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pci_reset_function_locked(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pcie_reset_flr(struct pci_dev *dev, bool probe)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pci_dev_specific_reset(struct pci_dev *dev, bool probe)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pci_dev_trylock(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void pci_dev_unlock(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int pci_save_state(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void pci_restore_state(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void pci_clear_master(struct pci_dev *dev)
{ SHIM_UNREACHABLE(); }

/* The host tests model a kdump kernel that translates */
__attribute__((weak))
bool iommu_default_passthrough(void)
{
	return false;
}
struct iommu_fwspec *dev_iommu_fwspec_get(struct device *dev)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
bool is_kdump_kernel(void)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int vmcore_walk_oldmem(int (*fn)(u64 start, u64 size, void *arg), void *arg)
{ SHIM_UNREACHABLE(); }
int vmcore_add_device_dump(struct vmcoredd_data *data)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int walk_iomem_res_desc(unsigned long desc, unsigned long flags, u64 start,
			u64 end, void *arg,
			int (*func)(struct resource *, void *))
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
struct resource *platform_get_resource(struct platform_device *dev,
				       unsigned int type, unsigned int num)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
unsigned long totalram_pages(void)
{ SHIM_UNREACHABLE(); }
static struct device_node *shim_dt;
static unsigned int shim_dt_nr;

void shim_dt_set(struct device_node *nodes, unsigned int nr)
{
	shim_dt = nodes;
	shim_dt_nr = nr;
}

static struct device_node *shim_dt_next(struct device_node *from)
{
	unsigned int i = from ? from - shim_dt + 1 : 0;

	return i < shim_dt_nr ? &shim_dt[i] : NULL;
}

unsigned int shim_dt_walks;

/* Only "iommu-map" is asked for */
struct device_node *of_find_node_with_property(struct device_node *from,
					       const char *prop_name)
{
	if (strcmp(prop_name, "iommu-map"))
		SHIM_UNREACHABLE();
	shim_dt_walks += !from;
	do
		from = shim_dt_next(from);
	while (from && !from->iommu);
	return from;
}

struct device_node *of_find_node_by_type(struct device_node *from,
					 const char *type)
{
	do
		from = shim_dt_next(from);
	while (from && !of_node_is_type(from, type));
	return from;
}

bool of_node_is_type(const struct device_node *np, const char *type)
{
	return np && np->type && !strcmp(np->type, type);
}

bool of_device_is_available(const struct device_node *np)
{
	return np && !np->disabled;
}

void free_io_pgtable_ops(struct io_pgtable_ops *ops)
{
}

int of_property_read_u32(const struct device_node *np, const char *propname,
			 u32 *out_value)
{
	if (strcmp(propname, "linux,pci-domain") || np->pci_domain < 0)
		return -EINVAL;
	*out_value = np->pci_domain;
	return 0;
}

int of_property_read_u32_array(const struct device_node *np,
			       const char *propname, u32 *out_values,
			       size_t sz)
{
	if (strcmp(propname, "bus-range") || sz != 2 || !np->bus_range[1])
		return -EINVAL;
	out_values[0] = np->bus_range[0];
	out_values[1] = np->bus_range[1];
	return 0;
}

int of_map_id(struct device_node *np, u32 id, const char *map_name,
	      const char *map_mask_name, struct device_node **target,
	      u32 *id_out)
{
	if (!np->iommu || (*target && *target != np->iommu))
		return -ENODEV;
	/* As the kernel: an ID the map does not cover bypasses, no target */
	if (np->map_len && id >= np->map_len) {
		*id_out = id;
		return 0;
	}
	*target = np->iommu;
	*id_out = id + np->sid_base;
	return 0;
}

int of_map_iommu_id(const struct device_node *np, u32 id,
		    struct of_phandle_args *arg)
{
	bool covered = !np->map_len || id < np->map_len;

	arg->np = covered ? np->iommu : NULL;
	arg->args_count = 1;
	arg->args[0] = id + (covered ? np->sid_base : 0);
	return np->iommu ? 0 : -ENODEV;
}

void of_node_put(struct device_node *node)
{
}
__attribute__((weak))
int iort_pci_rid_to_iommu_id(struct fwnode_handle *iommu_fwnode, u32 segment,
			     u32 rid, u32 *id_out)
{ SHIM_UNREACHABLE(); }
/* Weak: the switch of a linear table times its window */
__attribute__((weak))
ktime_t ktime_get(void)
{ SHIM_UNREACHABLE(); }
u32 readl(const volatile void __iomem *addr)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
u32 readl_relaxed(const volatile void __iomem *addr)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
u64 readq_relaxed(const volatile void __iomem *addr)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void writel(u32 val, volatile void __iomem *addr)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void writel_relaxed(u32 val, volatile void __iomem *addr)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void writeq_relaxed(u64 val, volatile void __iomem *addr)
{ SHIM_UNREACHABLE(); }
struct dentry *debugfs_create_blob(const char *name, unsigned short mode,
				   struct dentry *parent,
				   struct debugfs_blob_wrapper *blob)
{ SHIM_UNREACHABLE(); }
/* The teardown removes the file only if the dump made one */
void debugfs_remove(struct dentry *dentry)
{
	if (dentry)
		SHIM_UNREACHABLE();
}

/*
 * arm-smmu-v3.c, apart from the helpers extracted from it. Weak: the hook
 * tests record the commands, the switch benchmark (bench-switch.c) lets the
 * device reset run.
 */
struct mutex arm_smmu_asid_lock;

/*
 * The command queue. The tests see each command the driver issues as a
 * struct shim_cmd, whichever interface the driver has: 6.12's
 * arm_smmu_cmdq_issue_cmd_with_sync() takes a struct arm_smmu_cmdq_ent,
 * whose opcodes are macros; 7.2's arm_smmu_cmdq_issue_cmdlist() takes
 * commands that arm_smmu_make_cmd_*() encoded, decoded here. Which one
 * is told by CMDQ_OP_CFGI_STE: a macro in 6.12, an enum constant in 7.2.
 */
__attribute__((weak))
int shim_issue_cmd(struct arm_smmu_device *smmu, const struct shim_cmd *cmd)
{ SHIM_UNREACHABLE(); }

#ifdef CMDQ_OP_CFGI_STE
int arm_smmu_cmdq_issue_cmd_with_sync(struct arm_smmu_device *smmu,
				      struct arm_smmu_cmdq_ent *ent)
{
	struct shim_cmd cmd = {
		.opcode	= ent->opcode,
		.sid	= ent->cfgi.sid,	/* resume.sid too */
		.sync	= true,
	};

	if (ent->opcode == CMDQ_OP_CFGI_STE)
		cmd.leaf = ent->cfgi.leaf;
	return shim_issue_cmd(smmu, &cmd);
}
#else
int arm_smmu_cmdq_issue_cmdlist(struct arm_smmu_device *smmu,
				struct arm_smmu_cmdq *cmdq,
				struct arm_smmu_cmd *cmds, int n, bool sync)
{
	int i, ret = 0;

	if (cmdq != &smmu->cmdq)
		shim_bug("a command for a queue other than the SMMU's");
	for (i = 0; i < n; i++) {
		/* CFGI_STE, RESUME and STALL_TERM: the same SID field */
		struct shim_cmd cmd = {
			.opcode	= FIELD_GET(CMDQ_0_OP, cmds[i].data[0]),
			.sid	= FIELD_GET(CMDQ_CFGI_0_SID, cmds[i].data[0]),
			.sync	= sync && i == n - 1,
		};

		if (cmd.opcode == CMDQ_OP_CFGI_STE)
			cmd.leaf = FIELD_GET(CMDQ_CFGI_1_LEAF, cmds[i].data[1]);
		ret = shim_issue_cmd(smmu, &cmd);
	}
	return ret;
}
#endif
__attribute__((weak))
void arm_smmu_write_strtab(struct arm_smmu_device *smmu)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
struct arm_smmu_ste *arm_smmu_get_step_for_sid(struct arm_smmu_device *smmu,
					       u32 sid)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int arm_smmu_write_reg_sync(struct arm_smmu_device *smmu, u32 val,
			    unsigned int reg_off, unsigned int ack_off)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
void arm_smmu_write_queue_regs(struct arm_smmu_device *smmu,
			       struct arm_smmu_queue *q, unsigned int base_off)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int arm_smmu_update_gbpa(struct arm_smmu_device *smmu, u32 set, u32 clr)
{ SHIM_UNREACHABLE(); }
__attribute__((weak))
int arm_smmu_setup_irqs(struct arm_smmu_device *smmu)
{ SHIM_UNREACHABLE(); }
