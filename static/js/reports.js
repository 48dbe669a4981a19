// Report pages: draws each [data-chart] from the page's #report-data (reports/dashboards.py chart_data) with
// ECharts, builds its table for the "Table" toggle, and draws again when htmx brings a new copy (the big screen).
(function () {
  "use strict";

  var PALETTE = ["#0b5cab", "#1e8a4c", "#c76b00", "#6a1b9a", "#00838f", "#c62828"];
  var TARGET_COLOUR = "#c62828";
  var SHORT_COLOUR = "#c62828";
  var NONE = "—";

  function encode(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  function hasValue(figure) {
    return figure !== undefined && figure !== null && figure.value !== undefined && figure.value !== null;
  }

  // Moves the decimal point on the number as written, so that 0.9505 × 100 is 95.05 and not 95.05000000000001.
  function shift(value, places) {
    var written = String(value);
    return written.indexOf("e") === -1 ? Number(written + "e" + places) : value * Math.pow(10, places);
  }

  // One decimal, half away from zero on the number as written, as the pages' tables round it (report_figures.py).
  function oneDecimal(value) {
    var sign = value < 0 ? -1 : 1;
    return (sign * Math.round(shift(Math.abs(value), 1))) / 10;
  }

  // The number drawn: rates in percent, to one decimal; null leaves a gap.
  function plotted(figure, unit) {
    if (!hasValue(figure)) return null;
    return oneDecimal(unit === "percent" ? shift(figure.value, 2) : figure.value);
  }

  // The figure as the pages write it (reports/templatetags/report_figures.py): a rate with its parts. A chart's
  // unit says whether a quotient is a share (percent) or a number (arrivals per open day).
  function text(figure, unit) {
    if (!hasValue(figure)) return NONE;
    var value = figure.value;
    if (figure.denominator !== undefined && unit === "percent") {
      return oneDecimal(shift(value, 2)).toFixed(1) + "%" + " (" + figure.numerator + "/" + figure.denominator + ")";
    }
    if (figure.count !== undefined || Math.round(value) !== value) return oneDecimal(value).toFixed(1);
    return String(value);
  }

  function axisLabel(unit) {
    return unit === "percent" ? "{value}%" : "{value}";
  }

  // The value axis: counts in whole steps; a rate's axis from 0 to 100 %, or, when every value is small, up to
  // the next ten percent above the highest, so that a complaint rate of 2 % is not a flat line at the bottom.
  function valueAxis(unit) {
    var axis = { type: "value", axisLabel: { formatter: axisLabel(unit) } };
    if (unit === "count") axis.minInterval = 1;
    if (unit === "percent") {
      axis.min = 0;
      axis.max = function (extent) { return extent.max > 50 ? 100 : Math.max(10, Math.ceil(extent.max / 10) * 10); };
    }
    return axis;
  }

  function rowsOf(data, chart) {
    return data.groups[chart.group_by] || [];
  }

  // Tooltips are built here as plain markup: ECharts' default one writes style attributes, which the
  // Content-Security-Policy refuses.
  function tooltipLine(name, figure, unit) {
    return '<span class="tip-name">' + encode(name) + "</span> " + encode(text(figure, unit));
  }

  function axisTooltip(unit) {
    return function (params) {
      if (!params.length) return "";
      var lines = ['<strong class="tip-head">' + encode(params[0].axisValueLabel) + "</strong>"];
      params.forEach(function (item) {
        lines.push(tooltipLine(item.seriesName, item.data && item.data.figure, unit));
      });
      return lines.join("<br>");
    };
  }

  function targetLine(chart) {
    if (!chart.target) return undefined;
    var value = oneDecimal(shift(chart.target.value, 2));
    return {
      silent: true,
      symbol: "none",
      lineStyle: { color: TARGET_COLOUR, type: "dashed" },
      label: { formatter: (chart.target.lower_is_better ? "≤ " : "≥ ") + value + "%", position: "end",
               color: TARGET_COLOUR },
      data: [{ yAxis: value }],
    };
  }

  function seriesOption(data, chart) {
    var rows = rowsOf(data, chart);
    var labels = rows.map(function (row) { return row.label; });
    var drawn = false;
    var series = chart.series.map(function (spec, index) {
      var points = rows.map(function (row) {
        var figure = row.figures[spec.figure];
        if (hasValue(figure)) drawn = true;
        return { value: plotted(figure, chart.unit), figure: figure };
      });
      return {
        name: spec.name,
        type: spec.style,
        data: points,
        connectNulls: false,
        barMaxWidth: 36,
        symbolSize: 6,
        markLine: index === 0 ? targetLine(chart) : undefined,
        yAxisIndex: spec.axis || 0,
      };
    });
    // A series on a second axis (the counters open over the arrivals) has its own scale, on the right.
    var second = chart.series.filter(function (spec) { return spec.axis === 1; });
    var yAxis = valueAxis(chart.unit);
    if (second.length) {
      yAxis = [yAxis, { type: "value", axisLabel: { formatter: "{value}" }, splitLine: { show: false } }];
    }
    return {
      drawn: drawn,
      option: {
        legend: { top: 0, type: "scroll" },
        grid: { left: 8, right: chart.target ? 64 : 16, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", formatter: axisTooltip(chart.unit) },
        xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
        yAxis: yAxis,
        series: series,
      },
    };
  }

  function figuresOption(data, chart) {
    var totals = (rowsOf(data, chart)[0] || { figures: {} }).figures;
    var drawn = false;
    var points = chart.series.map(function (spec, index) {
      var figure = totals[spec.figure];
      if (hasValue(figure)) drawn = true;
      return { value: plotted(figure, chart.unit), figure: figure, itemStyle: { color: PALETTE[index % PALETTE.length] } };
    });
    return {
      drawn: drawn,
      option: {
        grid: { left: 8, right: chart.target ? 64 : 16, top: 24, bottom: 8, containLabel: true },
        tooltip: {
          trigger: "item",
          formatter: function (item) { return tooltipLine(item.name, item.data.figure, chart.unit); },
        },
        xAxis: { type: "category", data: chart.series.map(function (spec) { return spec.name; }),
                 axisLabel: { interval: 0 } },
        yAxis: valueAxis(chart.unit),
        series: [{ type: "bar", data: points, barMaxWidth: 48, markLine: targetLine(chart),
                   label: { show: true, position: "top", formatter: function (item) {
                     return item.value === null ? NONE : item.value + (chart.unit === "percent" ? "%" : "");
                   } } }],
      },
    };
  }

  // Whether the cell's counters fell short (chart.short): more arrivals per open counter-hour than the threshold,
  // or arrivals with no counter open at all.
  function isShort(chart, figures) {
    if (!chart.short || !figures) return false;
    var arrivals = figures[chart.series[0].figure];
    var perCounter = figures[chart.short.figure];
    if (hasValue(perCounter)) return perCounter.value > chart.short.above;
    return hasValue(arrivals) && arrivals.value > 0;
  }

  // Weekday × hour: x the hours that had arrivals (and those between), y Monday … Sunday. cells holds the first
  // figure, rows all figures of the cell, short the cells where capacity fell short.
  function heatmapGrid(data, chart) {
    var figureName = chart.series[0].figure;
    var cells = {};
    var rows = {};
    var short = {};
    var first = 24;
    var last = -1;
    rowsOf(data, chart).forEach(function (row) {
      var parts = row.key.split("-");
      var hour = parseInt(parts[1], 10);
      var figure = row.figures[figureName];
      if (!hasValue(figure)) return;
      var key = parts[0] + "-" + hour;
      cells[key] = figure;
      rows[key] = row.figures;
      short[key] = isShort(chart, row.figures);
      first = Math.min(first, hour);
      last = Math.max(last, hour);
    });
    var hours = [];
    for (var hour = first; hour <= last; hour += 1) hours.push(hour);
    return { cells: cells, rows: rows, short: short, hours: hours };
  }

  function pad(hour) {
    return (hour < 10 ? "0" : "") + hour;
  }

  function heatmapOption(data, chart) {
    var grid = heatmapGrid(data, chart);
    var points = [];
    var shortPoints = [];
    var highest = 0;
    grid.hours.forEach(function (hour, x) {
      for (var day = 1; day <= 7; day += 1) {
        var key = day + "-" + hour;
        var figure = grid.cells[key];
        var value = plotted(figure, chart.unit);
        if (value !== null) highest = Math.max(highest, value);
        var point = { value: [x, day - 1, value === null ? "-" : value], figure: figure, figures: grid.rows[key] };
        if (grid.short[key]) {
          point.itemStyle = { borderColor: SHORT_COLOUR, borderWidth: 3 };
          shortPoints.push({ value: [x, day - 1], figure: figure, figures: grid.rows[key] });
        }
        points.push(point);
      }
    });
    var series = [{ name: chart.series[0].name, type: "heatmap", data: points,
                    label: { show: grid.hours.length <= 14, formatter: function (item) {
                      return item.value[2] === "-" ? "" : item.value[2];
                    } } }];
    // The cells short of counters: framed in red, with a mark in their corner that the legend names.
    if (chart.short) {
      series.push({ name: chart.short.name, type: "scatter", data: shortPoints, symbol: "triangle",
                    symbolSize: 9, symbolOffset: [0, -11], itemStyle: { color: SHORT_COLOUR }, z: 5 });
    }
    return {
      drawn: grid.hours.length > 0,
      option: {
        grid: { left: 8, right: 16, top: chart.short ? 32 : 8, bottom: 64, containLabel: true },
        tooltip: {
          trigger: "item",
          formatter: function (item) {
            var lines = ['<strong class="tip-head">' + encode(data.texts.weekdays[item.value[1]] + " " +
              pad(grid.hours[item.value[0]]) + ":00") + "</strong>"];
            chart.series.forEach(function (spec) {
              lines.push(tooltipLine(spec.name, (item.data.figures || {})[spec.figure], chart.unit));
            });
            if (item.data.figures && isShort(chart, item.data.figures)) {
              lines.push('<span class="tip-short">' + encode(chart.short.name) + "</span>");
            }
            return lines.join("<br>");
          },
        },
        legend: chart.short ? { top: 0, data: [chart.short.name] } : undefined,
        xAxis: { type: "category", data: grid.hours.map(function (hour) { return pad(hour); }), splitArea: { show: true } },
        yAxis: { type: "category", data: data.texts.weekdays, inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max: Math.max(highest, 1), calculable: true, orient: "horizontal", left: "center",
                     bottom: 0, itemHeight: 160, seriesIndex: 0, inRange: { color: ["#eef4fb", "#0b5cab"] } },
        series: series,
      },
    };
  }

  function emptyOption(data) {
    return {
      title: { text: data.texts.noData, left: "center", top: "middle",
               textStyle: { color: "#5f6b7a", fontSize: 14, fontWeight: "normal" } },
    };
  }

  // The big screen's words are read from across the hall.
  function enlarge(option, size) {
    option.textStyle = { fontSize: size };
    if (option.legend) option.legend.textStyle = { fontSize: size };
    if (option.title) option.title.textStyle = Object.assign({}, option.title.textStyle, { fontSize: size + 2 });
    [option.xAxis, option.yAxis].forEach(function (axis) {
      if (axis) axis.axisLabel = Object.assign({}, axis.axisLabel, { fontSize: size - 1 });
    });
    (option.series || []).forEach(function (series) {
      if (series.label) series.label.fontSize = size;
      if (series.markLine) series.markLine.label.fontSize = size - 2;
    });
  }

  function optionFor(data, chart) {
    if (chart.kind === "heatmap") return heatmapOption(data, chart);
    if (chart.kind === "figures") return figuresOption(data, chart);
    return seriesOption(data, chart);
  }

  // The chart's numbers as a table: what the "Table" toggle shows.
  function cell(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }

  function buildTable(data, chart) {
    var table = document.createElement("table");
    table.className = "table report-table";
    var head = table.createTHead().insertRow();
    var body = table.createTBody();
    if (chart.kind === "heatmap") {
      var grid = heatmapGrid(data, chart);
      head.appendChild(cell("th", data.texts.groups.weekday_hour));
      grid.hours.forEach(function (hour) { head.appendChild(cell("th", pad(hour), "number")); });
      // A row per weekday and figure (arrivals, then counters open and arrivals per counter); the cells short of
      // counters are marked, with the rule under the table.
      data.texts.weekdays.forEach(function (name, index) {
        chart.series.forEach(function (spec, figureIndex) {
          var row = body.insertRow();
          row.appendChild(cell("th", figureIndex === 0 ? name : name + " · " + spec.name));
          if (figureIndex > 0) row.className = "figure-detail";
          grid.hours.forEach(function (hour) {
            var key = index + 1 + "-" + hour;
            var content = text((grid.rows[key] || {})[spec.figure], chart.unit);
            var td = cell("td", grid.short[key] ? content + " ▲" : content, "number");
            if (grid.short[key]) {
              td.classList.add("short");
              td.dataset.short = "true";
            }
            row.appendChild(td);
          });
        });
      });
      if (chart.short) {
        var caption = table.createCaption();
        caption.textContent = "▲ " + chart.short.name;
        caption.className = "table-note";
      }
    } else if (chart.kind === "figures") {
      var totals = (rowsOf(data, chart)[0] || { figures: {} }).figures;
      head.appendChild(cell("th", data.texts.groups.total));
      head.appendChild(cell("th", "", "number"));
      chart.series.forEach(function (spec) {
        var row = body.insertRow();
        row.appendChild(cell("th", spec.name));
        row.appendChild(cell("td", text(totals[spec.figure], chart.unit), "number"));
      });
    } else {
      head.appendChild(cell("th", data.texts.groups[chart.group_by] || ""));
      chart.series.forEach(function (spec) { head.appendChild(cell("th", spec.name, "number")); });
      rowsOf(data, chart).forEach(function (source) {
        var row = body.insertRow();
        row.appendChild(cell("th", source.label));
        chart.series.forEach(function (spec) {
          row.appendChild(cell("td", text(source.figures[spec.figure], chart.unit), "number"));
        });
      });
    }
    table.querySelectorAll("thead th").forEach(function (th) { th.scope = "col"; });
    table.querySelectorAll("tbody th").forEach(function (th) { th.scope = "row"; });
    return table;
  }

  function dispose(root) {
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) chart.dispose();
    });
  }

  function draw(root) {
    var source = document.getElementById("report-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var themed = source.closest("[data-theme]");
    var theme = themed ? themed.dataset.theme : null;
    data.charts.forEach(function (chart) {
      var element = root.querySelector('[data-chart="' + chart.id + '"]');
      if (!element) return;
      var existing = window.echarts.getInstanceByDom(element);
      if (existing) existing.dispose();
      var instance = window.echarts.init(element, theme, { renderer: "canvas" });
      var built = optionFor(data, chart);
      // A chart over days or hours keeps its axis when none of its figures is there yet; the others say so alone.
      var option = built.drawn ? built.option : chart.kind === "series" ? built.option : {};
      if (!built.drawn) option.title = emptyOption(data).title;
      option.color = PALETTE;
      // The big screen renews itself every minute: it shows the new figures at once.
      option.animation = !theme;
      option.animationDuration = 300;
      if (theme) {
        option.backgroundColor = "transparent";
        enlarge(option, 16);
      }
      element.dataset.drawn = built.drawn ? "true" : "false";
      element.dataset.rendered = "false";
      instance.on("finished", function () { element.dataset.rendered = "true"; });
      instance.setOption(option);
      var holder = root.querySelector('[data-chart-table="' + chart.id + '"]');
      if (holder) holder.replaceChildren(buildTable(data, chart));
    });
  }

  function resizeAll() {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts && window.echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    });
  }

  // "Table" shows the chart's numbers in place of the chart, and back.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-table-toggle]");
    if (!button) return;
    var id = button.dataset.tableToggle;
    var showTable = button.getAttribute("aria-pressed") !== "true";
    document.querySelector('[data-chart="' + id + '"]').hidden = showTable;
    document.querySelector('[data-chart-table="' + id + '"]').hidden = !showTable;
    button.setAttribute("aria-pressed", showTable ? "true" : "false");
    button.textContent = showTable ? button.dataset.showChart : button.dataset.showTable;
    if (!showTable) resizeAll();
  });

  // The big screen fills the display on a click (browsers allow it only on a person's gesture).
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-fullscreen]") || !document.documentElement.requestFullscreen) return;
    document.documentElement.requestFullscreen().catch(function () {});
  });

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(resizeAll, 150);
  });

  // The big screen: htmx replaces its live part every minute; the old charts go with it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (window.echarts) dispose(event.detail.target);
  });
  document.addEventListener("htmx:afterSettle", function () {
    var fresh = Array.prototype.some.call(document.querySelectorAll("[data-chart]"), function (element) {
      return !window.echarts.getInstanceByDom(element);
    });
    if (fresh) draw(document);
  });

  draw(document);
})();
